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
			[^a-c]*     | dog            | true
			[^a-c]*     | cat            | false
			[]a]        | a              | true
			[]a]        | ]              | true
			[]a]        | b              | false
			[a-]        | -              | true
			{a,b}       | {a,b}          | true
			{a,b}       | a              | false
			[*]         | *              | true
			[*]         | x              | false
			""")
	void matchesWholeNames(String glob, String name, boolean matches) {
		assertThat(Glob.compile(glob).matches(Glob.name(name.replace("\\n", "\n")))).isEqualTo(matches);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "a/b", "[abc", "trailing\\", "[z-a]", "[!]a]" })
	void invalidPatternsAreRefused(String glob) {
		assertThatIllegalArgumentException().isThrownBy(() -> Glob.compile(glob)).withMessageContaining("expected");
	}

}
