package dev.capuchin.app.audit;

import dev.capuchin.app.shared.api.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code /api/audit}: the audit log, newest first, a page at a time. Each entry has a
 * number; {@code ?before=} a number gives the entries older than it, so pages stay put
 * while new entries arrive, and {@code next} is the address of the following page.
 * {@code actor} (exact), {@code target} (a part, any case), {@code since} and
 * {@code until} (ISO-8601 instants or dates) filter the entries; {@code next} keeps them.
 */
@RestController
@RequestMapping("/api/audit")
class AuditApiController {

	/** Entries per page unless {@code limit} says otherwise. */
	static final int DEFAULT_LIMIT = 25;

	/** The most entries per page. */
	static final int MAX_LIMIT = 200;

	private final AuditLog audit;

	AuditApiController(AuditLog audit) {
		this.audit = audit;
	}

	@GetMapping
	Page page(@RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit, @RequestParam(required = false) Long before,
			@RequestParam(required = false) String actor, @RequestParam(required = false) String target,
			@RequestParam(required = false) String since, @RequestParam(required = false) String until) {
		if (limit < 1 || limit > MAX_LIMIT) {
			throw ApiException.badRequest("limit: " + limit + " (expected: 1.." + MAX_LIMIT + ")");
		}
		if (before != null && before < 1) {
			throw ApiException.badRequest("before: " + before + " (expected: an entry's id, > 0)");
		}
		AuditFilter filter;
		try {
			filter = AuditFilter.of(actor, target, since, until);
		}
		catch (IllegalArgumentException ex) {
			throw ApiException.badRequest(ex.getMessage());
		}
		List<AuditLog.Numbered> entries = this.audit.before(filter, (before != null) ? before : Long.MAX_VALUE,
				limit + 1);
		boolean more = entries.size() > limit;
		List<Entry> page = entries.stream().limit(limit).map(Entry::of).toList();
		String next = more ? UriComponentsBuilder.fromPath("/api/audit")
			.queryParam("limit", limit)
			.queryParam("before", page.get(page.size() - 1).id())
			.queryParamIfPresent("actor", Optional.ofNullable(filter.actor()))
			.queryParamIfPresent("target", Optional.ofNullable(filter.target()))
			.queryParamIfPresent("since", Optional.ofNullable(filter.since()))
			.queryParamIfPresent("until", Optional.ofNullable(filter.until()))
			.encode()
			.build()
			.toUriString() : null;
		return new Page(page, next);
	}

	/**
	 * One page of the log.
	 *
	 * @param entries the entries, newest first
	 * @param next the address of the next (older) page, or {@code null} at the end
	 */
	record Page(List<Entry> entries, String next) {
	}

	/**
	 * One audit entry.
	 *
	 * @param id its number
	 * @param at when
	 * @param actor who
	 * @param action what kind of change
	 * @param target what it changed
	 * @param before the state before, or {@code null}
	 * @param after the state after, or {@code null}
	 */
	record Entry(long id, Instant at, String actor, String action, String target, String before, String after) {

		static Entry of(AuditLog.Numbered numbered) {
			AuditLog.Entry entry = numbered.entry();
			return new Entry(numbered.id(), entry.at(), entry.actor(), entry.action(), entry.target(), entry.before(),
					entry.after());
		}

	}

}
