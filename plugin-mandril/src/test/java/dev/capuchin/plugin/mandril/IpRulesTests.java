package dev.capuchin.plugin.mandril;

import java.net.InetAddress;
import java.util.List;

import dev.capuchin.plugin.mandril.internal.IpFilter;
import dev.capuchin.plugin.mandril.internal.IpLiterals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class IpRulesTests {

	@ParameterizedTest(name = "allow [{0}] deny [{1}]: {2} passes {3}")
	@CsvSource(delimiter = '|',
			value = { "|| 10.1.2.3 | true", "| 10.0.0.0/8 | 10.1.2.3 | false", "| 10.0.0.0/8 | 192.0.2.1 | true",
					"10.0.0.0/8 || 10.1.2.3 | true", "10.0.0.0/8 || 192.0.2.1 | false",
					"10.0.0.0/8 | 10.1.0.0/16 | 10.1.2.3 | false", "10.0.0.0/8 | 10.1.0.0/16 | 10.2.0.1 | true",
					"10.1.2.3 | 10.0.0.0/8 | 10.1.2.3 | false", "2001:db8::/32 || 2001:db8::1 | true",
					"2001:db8::/32 || 10.1.2.3 | false", "| 2001:db8::/32 | 2001:db8::1 | false",
					"| 2001:db8::/32 | 127.0.0.1 | true" })
	void denyAlwaysWinsAndANonEmptyAllowListAdmitsOnlyItsBlocks(String allow, String deny, String address,
			boolean expected) throws Exception {
		IpRules rules = IpRules.of(blocks(allow), blocks(deny));
		InetAddress client = InetAddress.getByName(address);
		assertThat(rules.permits(client)).isEqualTo(expected);
		IpFilter filter = IpFilter.of(rules);
		assertThat(filter == null || filter.permits(IpLiterals.bytes(client))).as("compiled").isEqualTo(expected);
	}

	@Test
	void noRulesCompileToNoFilter() {
		assertThat(IpRules.NONE.isEmpty()).isTrue();
		assertThat(IpFilter.of(IpRules.NONE)).isNull();
	}

	@Test
	void combinedRulesRequireBoth() throws Exception {
		IpRules combined = IpRules.of(List.of("10.0.0.0/8"), List.of())
			.and(IpRules.of(List.of(), List.of("10.9.0.0/16")));
		assertThat(combined.permits(InetAddress.getByName("10.1.0.1"))).isTrue();
		assertThat(combined.permits(InetAddress.getByName("10.9.0.1"))).isFalse();
		assertThat(combined.permits(InetAddress.getByName("192.0.2.1"))).isFalse();
	}

	private static List<String> blocks(String text) {
		return (text == null || text.isBlank()) ? List.of() : List.of(text.trim().split("\\s*,\\s*"));
	}

}
