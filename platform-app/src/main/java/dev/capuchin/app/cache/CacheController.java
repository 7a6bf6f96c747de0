package dev.capuchin.app.cache;

import java.security.Principal;

import dev.capuchin.app.shared.console.Flash;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Cache page: each proxy cache zone of this node with its entries, memory used, hit
 * ratio over the last minute and entries stored and evicted per minute; a purge of one
 * URL, a prefix or the whole zone, confirmed on a page of its own before it is done.
 */
@Controller
class CacheController {

	private final CachePurges purges;

	CacheController(CachePurges purges) {
		this.purges = purges;
	}

	@GetMapping("/console/cache")
	String list(Model model) {
		model.addAttribute("running", this.purges.running());
		model.addAttribute("zones", this.purges.zones());
		return "console/cache/list";
	}

	@GetMapping("/console/cache/purge")
	String confirm(@RequestParam(defaultValue = "") String zone, @RequestParam(defaultValue = "") String url,
			Model model) {
		model.addAttribute("zone", zone);
		model.addAttribute("url", url);
		model.addAttribute("prefix", url.endsWith("*"));
		model.addAttribute("known", this.purges.zones().stream().anyMatch((state) -> state.name().equals(zone)));
		return "console/cache/purge";
	}

	@PostMapping("/console/cache/purge")
	String purge(@RequestParam String zone, @RequestParam(defaultValue = "") String url, Principal principal,
			RedirectAttributes redirect) {
		// one field: empty for the whole zone, a trailing * for a prefix
		String prefix = url.endsWith("*") ? url.substring(0, url.length() - 1) : null;
		@Nullable String exact = (prefix == null && !url.isEmpty()) ? url : null;
		int removed = this.purges.purge(zone, exact, prefix, principal.getName());
		if (removed < 0) {
			Flash.error(redirect, "Nothing was purged: there is no cache zone '" + zone + "' on this node.");
		}
		else {
			Flash.success(redirect, "Cache " + zone + ": " + CachePurges.what(exact, prefix) + " purged, " + removed
					+ " entries removed on this node; the other nodes sharing the store follow within their poll.");
		}
		return "redirect:/console/cache";
	}

}
