package dev.capuchin.plugin.dirlisting.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Unit tests for {@link Glob}.
 */
class GlobTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			*.bak       | old.bak        | true
			*.bak       | old.bak.txt    | false
			*.bak       | .bak           | true
			secret*     | secret-plan    | true
			secret*     | my-secret      | false
			?.txt       | a.txt          | true
			?.txt       | ab.txt         | false
			[abc].txt   | b.txt          | true
			[abc].txt   | d.txt          | false
			[a-c]*      | cat            | true
			[!a-c]*     | cat            | false
			[!a-c]*     | dog            | true
			a.b         | axb            | false
			a+b(1)      | a+b(1)         | true
			\\*         | *              | true
			\\*         | x              | false
			[]]         | ]              | true
			*           | `line\\nbreak` | true
			Thumbs.db   | thumbs.db      | false
			""")
	void matchesWholeNames(String glob, String name, boolean matches) {
		assertThat(Glob.compile(glob).matcher(name.replace("\\n", "\n")).matches()).isEqualTo(matches);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a/b", "[abc", "trailing\\", "[z-a]" })
	void invalidPatternsAreRefused(String glob) {
		assertThatIllegalArgumentException().isThrownBy(() -> Glob.compile(glob)).withMessageContaining("expected");
	}

}
