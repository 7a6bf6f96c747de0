package dev.capuchin.plugin.mandril;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MonkeyMandrilConfigTests {

	static final String MONKEY_FILE = """
			# Monkey HTTP Daemon - Mandril
			# ============================
			#
			#     [RULES]
			#         URL documents
			#         IP  10.20.1.1/24

			[RULES]
			    # IP 127.0.0.1
			    IP  10.20.1.1/24
			    IP 192.168.3.150
			    URL /private
			    URL documents
			    deny_hotlink /images/
			""";

	@TempDir
	Path temp;

	@Test
	void rulesOfAMonkeyFileBecomeDenyRules() throws Exception {
		Path file = Files.writeString(this.temp.resolve("mandril.conf"), MONKEY_FILE);
		MandrilRules rules = MonkeyMandrilConfig.parse(file);
		assertThat(rules.ip().allow()).isEmpty();
		assertThat(rules.ip().deny()).containsExactly(Cidr.parse("10.20.1.0/24"), Cidr.parse("192.168.3.150"));
		assertThat(rules.uriDeny()).containsExactly(PathRule.substring("/private", true),
				PathRule.substring("documents", true));
		assertThat(rules.hotlinkDeny()).containsExactly(PathRule.substring("/images/", true));
		assertThat(rules.rate().isOn()).isFalse();
	}

	@Test
	void monkeyUrlRulesIgnoreCaseAsMonkeyDoes() {
		MandrilRules rules = MonkeyMandrilConfig.parse("[RULES]\n    URL /private\n");
		assertThat(rules.uriDeny().get(0).matches("/PRIVATE/a")).isTrue();
	}

	@Test
	void keysAreCaseInsensitiveAndCarriageReturnsAreIgnored() {
		MandrilRules rules = MonkeyMandrilConfig.parse("[rules]\r\n    ip 10.0.0.1\r\n    Deny_Hotlink /img\r\n");
		assertThat(rules.ip().deny()).containsExactly(Cidr.parse("10.0.0.1"));
		assertThat(rules.hotlinkDeny()).extracting(PathRule::expression).containsExactly("/img");
	}

	@Test
	void otherSectionsAreSkipped() {
		MandrilRules rules = MonkeyMandrilConfig.parse("[OTHER]\n    Anything goes\n[RULES]\n    URL /x\n");
		assertThat(rules.uriDeny()).hasSize(1);
	}

	@Test
	void anEmptyRulesSectionHasNoRules() {
		assertThat(MonkeyMandrilConfig.parse("[RULES]\n    # IP 127.0.0.1\n").isEmpty()).isTrue();
	}

	@Test
	void anInvalidAddressIsRefusedWithItsLineNumber() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MonkeyMandrilConfig.parse("[RULES]\n    URL /x\n    IP 10.0.0.300\n"))
			.withMessage("line 3: '10.0.0.300' is not an IP address or CIDR block");
	}

	@Test
	void anUnknownKeyIsRefusedWithItsLineNumber() {
		assertThatIllegalArgumentException().isThrownBy(() -> MonkeyMandrilConfig.parse("[RULES]\n    HOST foo\n"))
			.withMessage("line 2: 'HOST foo' (expected: one of the keys IP, URL, deny_hotlink)");
	}

	@Test
	void aKeyWithoutValueIsRefusedWithItsLineNumber() {
		assertThatIllegalArgumentException().isThrownBy(() -> MonkeyMandrilConfig.parse("\n[RULES]\n    URL\n"))
			.withMessageStartingWith("line 3: 'URL'");
	}

	@Test
	void anEntryBeforeAnySectionIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> MonkeyMandrilConfig.parse("IP 10.0.0.1\n"))
			.withMessageStartingWith("line 1: ");
	}

	@Test
	void aBrokenSectionHeaderIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> MonkeyMandrilConfig.parse("[RULES\n"))
			.withMessageStartingWith("line 1: '[RULES'");
	}

	@Test
	void aFileErrorNamesTheFile() throws Exception {
		Path file = Files.writeString(this.temp.resolve("mandril.conf"), "[RULES]\n    IP nowhere\n");
		assertThatIllegalArgumentException().isThrownBy(() -> MonkeyMandrilConfig.parse(file))
			.withMessage(file + " line 2: 'nowhere' is not an IP address or CIDR block");
	}

	@Test
	void theSameRecordsAsTheSiteFileSyntax() {
		MandrilRules monkey = MonkeyMandrilConfig.parse("[RULES]\n    IP 10.0.0.0/8\n");
		assertThat(monkey.ip()).isEqualTo(IpRules.of(List.of(), List.of("10.0.0.0/8")));
	}

	@Test
	void oneEntryIsReadByKeyRegardlessOfCase() {
		assertThat(MonkeyMandrilConfig.rule("ip", " 10.20.1.1/24 ")).hasValueSatisfying((rule) -> {
			assertThat(rule.kind()).isEqualTo(MonkeyMandrilConfig.RuleKind.IP);
			assertThat(rule.address()).isEqualTo(Cidr.parse("10.20.1.0/24"));
		});
		assertThat(MonkeyMandrilConfig.rule("Deny_Hotlink", "/images/")).hasValueSatisfying((rule) -> {
			assertThat(rule.kind()).isEqualTo(MonkeyMandrilConfig.RuleKind.DENY_HOTLINK);
			assertThat(rule.path()).isEqualTo(PathRule.substring("/images/", true));
		});
		assertThat(MonkeyMandrilConfig.rule("URL", "/private").map(MonkeyMandrilConfig.Rule::kind))
			.contains(MonkeyMandrilConfig.RuleKind.URL);
	}

	@Test
	void oneEntryWithAnotherKeyIsNoRule() {
		assertThat(MonkeyMandrilConfig.rule("Allow", "10.0.0.1")).isEmpty();
	}

	@Test
	void oneEntryWithABadAddressIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> MonkeyMandrilConfig.rule("IP", "10.0.0.300"))
			.withMessageContaining("'10.0.0.300' is not an IP address or CIDR block");
	}

}
