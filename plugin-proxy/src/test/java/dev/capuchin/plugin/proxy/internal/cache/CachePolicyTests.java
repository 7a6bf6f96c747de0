package dev.capuchin.plugin.proxy.internal.cache;

import java.util.List;

import dev.capuchin.plugin.proxy.CacheZoneSettings;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The storage and freshness rules and the directives' parsing, without sockets. */
class CachePolicyTests {

	private static final CacheRule RULE = new CacheRule("main", List.of(), List.of(), false);

	private static final CacheZoneSettings ZONE = CacheZoneSettings.inMemory("main", 1024 * 1024);

	private static CachePolicy.Verdict evaluate(int status, String... headers) {
		HttpHeaders upstream = new DefaultHttpHeaders();
		for (int i = 0; i < headers.length; i += 2) {
			upstream.add(headers[i], headers[i + 1]);
		}
		return CachePolicy.evaluate(HttpMethod.GET, new DefaultHttpHeaders(), status, upstream, upstream, RULE, ZONE,
				1_000_000, 1_000_000);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			max-age=60                              | 60000
			max-age=0, s-maxage=30                  | 30000
			s-maxage="20", max-age=60               | 20000
			public, max-age=99999999999             | 2147483647000
			""")
	void lifetimeComesFromTheStrongestDirective(String cacheControl, long lifetime) {
		assertThat(evaluate(200, "Cache-Control", cacheControl).meta().lifetime()).isEqualTo(lifetime);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			206 | max-age=60           | status
			200 | no-store             | no-store
			200 | private, max-age=60  | private
			302 | ''                   | status
			200 | ''                   | stale
			""")
	void unstorableResponsesSayWhy(int status, String cacheControl, String reason) {
		CachePolicy.Verdict verdict = cacheControl.isEmpty() ? evaluate(status)
				: evaluate(status, "Cache-Control", cacheControl);
		assertThat(verdict.meta()).isNull();
		assertThat(verdict.reason()).isEqualTo(reason);
	}

	@Test
	void redirectWithExplicitFreshnessIsStored() {
		assertThat(evaluate(302, "Cache-Control", "max-age=60").meta()).isNotNull();
	}

	@Test
	void invalidExpiresMeansAlreadyExpired() {
		CachePolicy.Verdict verdict = evaluate(200, "Expires", "0", "ETag", "\"a\"");
		assertThat(verdict.meta().lifetime()).isZero();
		assertThat(verdict.meta().hasValidator()).isTrue();
	}

	@Test
	void ageFromTheServerCountsInTheInitialAge() {
		assertThat(evaluate(200, "Cache-Control", "max-age=60", "Age", "15").meta().age(1_000_000)).isEqualTo(15_000);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			gzip, deflate, br        | br,deflate,gzip
			br;q=1.0 , GZIP          | br,gzip
			gzip;q=0, identity       | identity
			x-gzip, compress         | gzip
			''                       | identity
			""")
	void acceptEncodingIsReducedToTheKnownCodingsAccepted(String header, String normalised) {
		assertThat(CachePolicy.encodings(List.of(header))).isEqualTo(normalised);
	}

}
