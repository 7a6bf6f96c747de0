package dev.capuchin.core.internal.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link RequestPath}.
 */
class RequestPathTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			/plain/path.txt | /plain/path.txt
			/my dir/        | /my%20dir/
			/a?b#c          | /a%3Fb%23c
			/100%           | /100%25
			/été            | /%C3%A9t%C3%A9
			/a:b@c!$&'()*+,;=-._~ | /a:b@c!$&'()*+,;=-._~
			""")
	void encodeKeepsPathCharactersAndEncodesTheRest(String path, String encoded) {
		assertThat(RequestPath.encode(path)).isEqualTo(encoded);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/my%20dir/
			/%C3%A9t%C3%A9
			/a%3Fb%23c
			""")
	void encodeUndoesNormalize(String target) {
		assertThat(RequestPath.encode(RequestPath.normalize(target))).isEqualTo(target);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/
			/a/b.txt
			/a/
			/.well-known/x
			/a/.b
			/a..b
			/..a
			/.../
			""")
	void aPathWithNothingToResolveIsReturnedAsItIs(String path) {
		assertThat(RequestPath.normalize(path)).isSameAs(path);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/a/..     | /
			/a/.      | /a/
			/a/./b    | /a/b
			//a       | /a
			/a//b     | /a/b
			/a/b/../c | /a/c
			/%2e%2e/  | ''
			/..       | ''
			/a/../..  | ''
			""")
	void dotSegmentsAndRepeatedSlashesAreResolvedAndClimbingAboveTheRootIsRefused(String path, String normalized) {
		assertThat(RequestPath.normalize(path)).isEqualTo(normalized.isEmpty() ? null : normalized);
	}

}
