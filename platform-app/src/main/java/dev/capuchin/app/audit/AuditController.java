package dev.capuchin.app.audit;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit log, newest first, a page at a time: who changed what and when, and for each
 * entry the line difference of the state before and after; filtered by actor, by a part
 * of the target and by day, the filter kept from page to page.
 */
@Controller
class AuditController {

	/** Entries per page. */
	static final int PAGE_SIZE = 25;

	private final AuditLog audit;

	AuditController(AuditLog audit) {
		this.audit = audit;
	}

	@GetMapping("/console/audit")
	String audit(@RequestParam(defaultValue = "1") int page, @RequestParam(defaultValue = "") String actor,
			@RequestParam(defaultValue = "") String target, @RequestParam(defaultValue = "") String since,
			@RequestParam(defaultValue = "") String until, Model model) {
		AuditFilter filter;
		try {
			filter = AuditFilter.of(actor, target, since, until);
		}
		catch (IllegalArgumentException ex) {
			model.addAttribute("filterError", ex.getMessage());
			filter = AuditFilter.NONE;
		}
		long total = this.audit.count(filter);
		int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
		int current = Math.min(Math.max(1, page), pages);
		List<Row> rows = this.audit.page(filter, (current - 1) * PAGE_SIZE, PAGE_SIZE)
			.stream()
			.map((entry) -> new Row(entry,
					(entry.before() != null || entry.after() != null) ? LineDiff.between(entry.before(), entry.after())
							: List.of()))
			.toList();
		model.addAttribute("rows", rows);
		model.addAttribute("page", current);
		model.addAttribute("pages", pages);
		model.addAttribute("firstPage", Math.max(1, current - 3));
		model.addAttribute("lastPage", Math.min(pages, current + 3));
		model.addAttribute("total", total);
		model.addAttribute("filtered", !filter.isEmpty());
		model.addAttribute("actor", actor);
		model.addAttribute("target", target);
		model.addAttribute("since", since);
		model.addAttribute("until", until);
		return "console/audit";
	}

	/**
	 * One entry and its difference.
	 *
	 * @param entry the audit entry
	 * @param diff the line difference of before and after, empty when neither is kept
	 */
	record Row(AuditLog.Entry entry, List<LineDiff.Row> diff) {
	}

}
