package dev.capuchin.plugin.mandril.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.core.spi.Site;
import dev.capuchin.core.internal.site.SiteLoader;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.plugin.mandril.IpRules;
import dev.capuchin.plugin.mandril.MandrilRules;
import dev.capuchin.plugin.mandril.PathRule;
import dev.capuchin.plugin.mandril.RateLimit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PreparedSitesTests {

	@TempDir
	Path temp;

	@Test
	void theContractBlockIsRead() {
		MandrilRules rules = RuleBlocks.parse(block("""
				ip: { deny: [127.0.0.2/32] }
				uri: { deny: ["/secret", "regex:\\\\.bak$"] }
				hotlink: { deny: ["/images/"] }
				rate: { requests-per-second: 20, burst: 40 }
				"""), "mandril", false);
		assertThat(rules.ip().deny()).hasToString("[127.0.0.2/32]");
		assertThat(rules.uriDeny()).extracting(PathRule::toString).containsExactly("/secret", "regex:\\.bak$");
		assertThat(rules.hotlinkDeny()).extracting(PathRule::toString).containsExactly("/images/");
		assertThat(rules.rate()).isEqualTo(new RateLimit(20, 40));
	}

	@Test
	void anInvalidRegexIsRefusedNamingTheSiteAndField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare("name: shop\nmandril:\n  uri: { deny: [\"/x\", \"regex:[\"] }\n"))
			.withMessage("site shop: mandril.uri.deny[1]: 'regex:[' is not a valid regular expression");
	}

	@Test
	void anInvalidAddressIsRefusedNamingTheSiteAndField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare("name: shop\nmandril:\n  ip: { allow: [10.0.0.0/8, 10.0.0.300] }\n"))
			.withMessage("site shop: mandril.ip.allow[1]: '10.0.0.300' is not an IP address or CIDR block");
	}

	@Test
	void anUnknownKeyIsRefusedNamingIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> prepare("name: shop\nmandril:\n  url: { deny: [/x] }\n"))
			.withMessage("site shop: mandril.url: unknown key (expected: ip, uri, hotlink or rate)");
		assertThatIllegalArgumentException().isThrownBy(() -> prepare("name: shop\nmandril:\n  uri: { allow: [/x] }\n"))
			.withMessage("site shop: mandril.uri.allow: unknown key (expected: deny)");
	}

	@Test
	void aBadRateIsRefusedNamingTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare("name: shop\nmandril:\n  rate: { requests-per-second: -1 }\n"))
			.withMessageStartingWith("site shop: mandril.rate.requests-per-second: -1.0");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare("name: shop\nmandril:\n  rate: { requests-per-second: fast }\n"))
			.withMessage("site shop: mandril.rate.requests-per-second: 'fast' (expected: a number)");
	}

	@Test
	void aLocationBlockIsReadAndMayNotCarryARate() {
		PreparedSites prepared = prepare(
				"name: shop\nlocations:\n  - path: /a/\n  - path: /b/\n    mandril: { uri: { deny: [/b/x] } }\n");
		Site site = this.table.sites().get(0);
		SiteRules rules = prepared.rules(site);
		assertThat(rules.location(site.locations().get(0))).isNull();
		assertThat(rules.location(site.locations().get(1)).uriDeny).extracting(PathRule::toString)
			.containsExactly("/b/x");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> prepare("name: shop\nlocations:\n  - path: /a/\n    mandril: { rate: { burst: 1 } }\n"))
			.withMessage(
					"site shop: locations[0].mandril.rate: not supported in a location (expected: a site-wide rate)");
	}

	@Test
	void sitesWithoutRulesTakeTheFastPath() {
		PreparedSites prepared = prepare("name: plain\n");
		assertThat(prepared.isEmpty()).isTrue();
		assertThat(prepared.rules(this.table.sites().get(0))).isNull();
	}

	@Test
	void globalPathRulesApplyOnEverySite() {
		SiteTable sites = table("name: plain\n");
		MandrilRules global = new MandrilRules(IpRules.NONE, List.of(PathRule.parse("/secret")), List.of(),
				RateLimit.OFF);
		PreparedSites prepared = PreparedSites.prepare(sites, global, (name, limit) -> null);
		assertThat(prepared.rules(sites.sites().get(0)).site.uriDeny).extracting(PathRule::toString)
			.containsExactly("/secret");
	}

	private SiteTable table;

	private PreparedSites prepare(String yaml) {
		this.table = table(yaml);
		return PreparedSites.prepare(this.table, MandrilRules.NONE, (name, limit) -> new RateLimiter(limit, 10));
	}

	private SiteTable table(String yaml) {
		Map<String, Object> keys = new LinkedHashMap<>(block(yaml));
		keys.put("document-root", this.temp.toString());
		return SiteTable.of(new SiteLoader(this.temp).parse(keys, "site"));
	}

	private static Map<String, Object> block(String yaml) {
		return new Yaml().load(yaml);
	}

}
