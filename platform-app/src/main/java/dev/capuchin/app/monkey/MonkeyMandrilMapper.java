package dev.capuchin.app.monkey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.capuchin.plugin.mandril.MandrilBlocks;
import dev.capuchin.plugin.mandril.MonkeyMandrilConfig;
import dev.capuchin.plugin.mandril.RuleKind;

/**
 * Maps the Mandril plugin's {@code mandril.conf} to the {@code mandril:} block every
 * imported site takes, reading each {@code [RULES]} entry with
 * {@link MonkeyMandrilConfig#rule(String, String)}: {@code URL} and {@code deny_hotlink}
 * substrings become case-insensitive regular expressions (Monkey matches them regardless
 * of case), {@code IP} rules become the site's address rules, checked per request.
 */
final class MonkeyMandrilMapper {

	private MonkeyMandrilMapper() {
	}

	static Block map(Path dir, List<ReportLine> report) {
		Path path = dir.resolve("plugins/mandril/mandril.conf");
		if (!Files.isRegularFile(path)) {
			report.add(ReportLine.note("plugins/mandril/mandril.conf: not found, no Mandril rules to import"));
			return new Block(Map.of(), null);
		}
		MonkeyConfigFile file = MonkeyConfigParser.read(path, "plugins/mandril/mandril.conf");
		List<String> ip = new ArrayList<>();
		List<String> uri = new ArrayList<>();
		List<String> hotlink = new ArrayList<>();
		Origin first = null;
		for (MonkeyConfigFile.Section section : file.sections()) {
			for (MonkeyConfigFile.Entry entry : section.entries()) {
				if (!section.is("RULES")) {
					report.add(ReportLine.notMapped(file, section, entry, "Mandril reads only [RULES]"));
					continue;
				}
				Optional<MonkeyMandrilConfig.Rule> rule;
				try {
					rule = MonkeyMandrilConfig.rule(entry.key(), entry.value());
				}
				catch (IllegalArgumentException ex) {
					throw MonkeyConfigParser.refused(file.name(), entry.line(),
							"[RULES] " + entry.key() + ": " + ex.getMessage());
				}
				if (rule.isEmpty()) {
					report.add(ReportLine.notMapped(file, section, entry, "not a Mandril rule; Monkey ignores it too"));
					continue;
				}
				first = (first != null) ? first : Origin.of(file, section, entry);
				switch (rule.get().kind()) {
					case IP -> {
						ip.add(rule.get().address().toString());
						report.add(ReportLine.mapped(file, section, entry,
								RuleKind.IP_DENY.key() + " of every imported site: " + rule.get().address()
										+ " (checked per request with 403, not at connect;"
										+ " capuchin.plugins.mandril.monkey-config: " + path + " refuses at connect)"));
					}
					case URL -> {
						uri.add(insensitive(rule.get().path().expression()));
						report.add(ReportLine.mapped(file, section, entry,
								RuleKind.URI_DENY.key() + " of every imported site: "
										+ insensitive(rule.get().path().expression())
										+ " (regardless of case, as in Monkey)"));
					}
					case DENY_HOTLINK -> {
						hotlink.add(insensitive(rule.get().path().expression()));
						report.add(ReportLine.mapped(file, section, entry,
								RuleKind.HOTLINK_DENY.key() + " of every imported site: "
										+ insensitive(rule.get().path().expression())
										+ " (regardless of case, as in Monkey)"));
					}
				}
			}
		}
		Map<String, Object> block = MandrilBlocks
			.block(Map.of(RuleKind.IP_DENY, ip, RuleKind.URI_DENY, uri, RuleKind.HOTLINK_DENY, hotlink));
		return new Block((block != null) ? block : Map.of(), first);
	}

	private static String insensitive(String substring) {
		return "regex:(?i)" + Pattern.quote(substring);
	}

	/**
	 * The block every imported site takes.
	 *
	 * @param block the {@code mandril:} keys, empty for no rule
	 * @param origin the first rule's line, or {@code null}
	 */
	record Block(Map<String, Object> block, Origin origin) {
	}

}
