package dev.capuchin.plugin.mandril;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.capuchin.plugin.mandril.internal.RuleBlocks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MandrilBlocksTests {

	@Test
	void rulesAreListedByKindInListOrder() {
		Map<String, Object> settings = Map.of("mandril",
				Map.of("ip", Map.of("allow", List.of("10.0.0.0/8"), "deny", "10.0.0.2"), "uri",
						Map.of("deny", List.of("/b", "/a")), "rate", Map.of("requests-per-second", 5)));
		assertThat(MandrilBlocks.rules(settings)).containsExactly(
				new MandrilBlocks.Rule(RuleKind.IP_ALLOW, "10.0.0.0/8"),
				new MandrilBlocks.Rule(RuleKind.IP_DENY, "10.0.0.2"), new MandrilBlocks.Rule(RuleKind.URI_DENY, "/b"),
				new MandrilBlocks.Rule(RuleKind.URI_DENY, "/a"));
	}

	@Test
	void settingsWithoutABlockHaveNoRules() {
		assertThat(MandrilBlocks.rules(Map.of("logger", Map.of()))).isEmpty();
		assertThat(MandrilBlocks.rules(Map.of("mandril", "off"))).isEmpty();
	}

	@Test
	void aListPutIntoEmptySettingsCreatesItsBlockAndSection() {
		Map<String, Object> settings = new LinkedHashMap<>();
		MandrilBlocks.put(settings, RuleKind.HOTLINK_DENY, List.of("/images/"));
		assertThat(settings).isEqualTo(Map.of("mandril", Map.of("hotlink", Map.of("deny", List.of("/images/")))));
	}

	@Test
	void anEmptiedListTakesItsEmptySectionAndBlockWithIt() {
		Map<String, Object> settings = new LinkedHashMap<>(
				Map.of("mandril", Map.of("ip", Map.of("deny", List.of("10.0.0.1"))), "logger", "off"));
		MandrilBlocks.put(settings, RuleKind.IP_DENY, List.of());
		assertThat(settings).isEqualTo(Map.of("logger", "off"));
	}

	@Test
	void puttingAListKeepsTheOtherKeysOfTheBlock() {
		Map<String, Object> rate = Map.of("requests-per-second", 5, "burst", 10);
		Map<String, Object> settings = new LinkedHashMap<>(Map.of("mandril", Map.of("rate", rate)));
		MandrilBlocks.put(settings, RuleKind.URI_DENY, List.of("/secret"));
		assertThat(settings.get("mandril")).isEqualTo(Map.of("rate", rate, "uri", Map.of("deny", List.of("/secret"))));
	}

	@Test
	void valuesOfABlockThatIsNotAMappingAreRefusedNamingTheField() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MandrilBlocks.values(Map.of("mandril", "yes"), RuleKind.IP_DENY, "locations[1]"))
			.withMessage("locations[1].mandril: yes (expected: a block with ip, uri, hotlink or rate)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MandrilBlocks.values(Map.of("mandril", Map.of("uri", 3)), RuleKind.URI_DENY, null))
			.withMessage("mandril.uri: 3 (expected: a block with deny)");
	}

	@Test
	void aSingleValueReadsAsAListOfOne() {
		assertThat(MandrilBlocks.values(Map.of("mandril", Map.of("ip", Map.of("deny", "10.0.0.1"))), RuleKind.IP_DENY,
				null))
			.containsExactly("10.0.0.1");
	}

	@Test
	void aBuiltBlockIsReadByThePlugin() {
		Map<String, Object> block = MandrilBlocks.block(Map.of(RuleKind.IP_DENY, List.of("10.0.0.0/8"),
				RuleKind.URI_DENY, List.of("/secret"), RuleKind.HOTLINK_DENY, List.of()));
		assertThat(block).containsOnlyKeys("ip", "uri");
		MandrilRules rules = RuleBlocks.parse(block, "mandril", false);
		assertThat(rules.uriDeny()).hasSize(1);
		assertThat(rules.ip().deny()).hasSize(1);
	}

	@Test
	void aBlockOfNoValuesIsNull() {
		assertThat(MandrilBlocks.block(Map.of(RuleKind.IP_DENY, List.of()))).isNull();
	}

	@Test
	void extractedRulesAreRestoredIntoTheSameBlock() {
		Map<String, Object> settings = Map.of("mandril",
				Map.of("ip", Map.of("deny", List.of("10.0.0.1", "10.0.0.2")), "hotlink", Map.of("deny", "/img/")));
		MandrilBlocks.Split split = MandrilBlocks.extract(settings);
		assertThat(split.rules()).containsExactly(new MandrilBlocks.Rule(RuleKind.IP_DENY, "10.0.0.1"),
				new MandrilBlocks.Rule(RuleKind.IP_DENY, "10.0.0.2"),
				new MandrilBlocks.Rule(RuleKind.HOTLINK_DENY, "/img/"));
		assertThat(MandrilBlocks.rules(split.settings())).isEmpty();
		assertThat(MandrilBlocks.restore(split.settings(), split.rules())).isEqualTo(Map.of("mandril", Map.of("ip",
				Map.of("deny", List.of("10.0.0.1", "10.0.0.2")), "hotlink", Map.of("deny", List.of("/img/")))));
	}

	@Test
	void restoringDoesNotRepeatARuleStillInTheBlock() {
		Map<String, Object> settings = Map.of("mandril", Map.of("uri", Map.of("deny", List.of("/a"))));
		Map<String, Object> restored = MandrilBlocks.restore(settings, List
			.of(new MandrilBlocks.Rule(RuleKind.URI_DENY, "/a"), new MandrilBlocks.Rule(RuleKind.URI_DENY, "/b")));
		assertThat(MandrilBlocks.values(restored, RuleKind.URI_DENY, null)).containsExactly("/a", "/b");
	}

	@Test
	void aListThatIsNotTextStaysInTheBlock() {
		Map<String, Object> settings = Map.of("mandril", Map.of("uri", Map.of("deny", List.of(1, 2))));
		MandrilBlocks.Split split = MandrilBlocks.extract(settings);
		assertThat(split.rules()).isEmpty();
		assertThat(split.settings()).isEqualTo(settings);
	}

	@Test
	void kindsAreFoundByIdentifierAndUnknownOnesNamed() {
		assertThat(RuleKind.of("hotlink-deny")).isEqualTo(RuleKind.HOTLINK_DENY);
		assertThat(RuleKind.IP_ALLOW.key()).isEqualTo("mandril.ip.allow");
		assertThatIllegalArgumentException().isThrownBy(() -> RuleKind.of("ip"))
			.withMessage("'ip' is not a kind of rule (expected: ip-allow, ip-deny, uri-deny or hotlink-deny)");
	}

	@Test
	void valuesAreCheckedAsThePluginReadsThem() {
		RuleKind.IP_DENY.check("10.0.0.0/8");
		RuleKind.URI_DENY.check("regex:\\.bak$");
		assertThatIllegalArgumentException().isThrownBy(() -> RuleKind.IP_DENY.check("/secret"));
		assertThatIllegalArgumentException().isThrownBy(() -> RuleKind.URI_DENY.check("regex:("));
	}

}
