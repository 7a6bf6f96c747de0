package dev.capuchin.app.sites;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.capuchin.app.transfer.ConfigDocument;
import dev.capuchin.app.shared.config.ConfigService;

/**
 * What a configuration change through the API returns: the version now current, whether
 * the change was applied (not with {@code ?dry-run=true}, nor when nothing changed), and
 * the changed sites with their keys before and after, and the items it removed.
 *
 * @param version the configuration version now current
 * @param applied whether the change was stored and swapped in
 * @param dryRun whether only the difference was asked for
 * @param changes the changed sites
 * @param removed the items the change removes (or would remove), by name, such as
 * {@code access rule uri-deny /secret/ on shop}; empty when it removes nothing
 */
record ChangeOutcome(long version, boolean applied, boolean dryRun, List<Change> changes, List<String> removed) {

	static ChangeOutcome of(ConfigService.Outcome outcome, boolean dryRun, List<String> removed) {
		List<Change> changes = outcome.diff()
			.changes()
			.stream()
			.map((change) -> new Change(change.site(), change.kind().name().toLowerCase(Locale.ROOT),
					keys(change.before()), keys(change.after())))
			.toList();
		return new ChangeOutcome(outcome.version(), outcome.applied(), dryRun, changes, List.copyOf(removed));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> keys(String yaml) {
		return (yaml != null) ? (Map<String, Object>) ConfigDocument.yaml().load(yaml) : null;
	}

	/**
	 * One changed site.
	 *
	 * @param site its name
	 * @param change {@code added}, {@code changed} or {@code removed}
	 * @param before its keys before, absent for an added site
	 * @param after its keys after, absent for a removed site
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record Change(String site, String change, Map<String, Object> before, Map<String, Object> after) {
	}

}
