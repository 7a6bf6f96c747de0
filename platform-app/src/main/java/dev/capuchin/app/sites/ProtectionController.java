package dev.capuchin.app.sites;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.capuchin.app.openidlogins.OpenIdLogin;
import dev.capuchin.app.openidlogins.OpenIdLoginReferences;
import dev.capuchin.app.realms.Realm;
import dev.capuchin.app.realms.RealmReferences;
import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.InvalidConfigurationException;
import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.core.spi.Location;
import dev.capuchin.plugin.auth.AuthPlugin;
import dev.capuchin.plugin.mandril.MandrilBlocks;
import dev.capuchin.plugin.mandril.RuleKind;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "Protect a location": who may enter a location (a stored realm's users, browsers signed
 * in through a stored OpenID login, bearer tokens of an issuer, or anyone) and from where
 * (addresses allowed and refused) in one form, as Nginx Proxy Manager's access lists do.
 * A save writes the location's {@code auth:} block and its mandril {@code ip} lists, the
 * same blocks the location editor and the access rules page write, as one configuration
 * version through {@link SiteChanges}; a path without a location gets a new one, placed
 * before the first location whose path is a prefix of it so that it is matched first.
 */
@Controller
class ProtectionController {

	/** Most addresses in one list of the form. */
	static final int MAX_ADDRESSES = 100;

	private final SiteChanges changes;

	ProtectionController(SiteChanges changes) {
		this.changes = changes;
	}

	@GetMapping("/console/sites/{name}/protect")
	String form(@PathVariable String name, @RequestParam(name = "path", required = false) String path, Model model) {
		ConfigService.Snapshot snapshot = this.changes.current();
		SiteEntry entry = snapshot.entries().get(this.changes.indexOf(snapshot, name));
		String chosen = (path != null && !path.isBlank()) ? path.trim() : "/";
		return page(model, snapshot, entry, read(entry, chosen, snapshot.version()), new FormErrors());
	}

	@PostMapping("/console/sites/{name}/protect")
	String save(@PathVariable String name, @ModelAttribute("form") ProtectionForm form, Model model,
			Principal principal, RedirectAttributes redirect) {
		ConfigService.Snapshot snapshot = this.changes.current();
		int index = this.changes.indexOf(snapshot, name);
		SiteEntry entry = snapshot.entries().get(index);
		FormErrors errors = new FormErrors();
		String path = form.text(form.path());
		if (!errors.requireText("path", path) && !path.startsWith("/")) {
			errors.field("path", "'" + path + "' (expected: a path starting with /)");
		}
		String access = form.text(form.access());
		if (!Set
			.of(ProtectionForm.ANYONE, ProtectionForm.REALM, ProtectionForm.OPENID, ProtectionForm.BEARER,
					ProtectionForm.KEEP)
			.contains(access)) {
			errors.field("access", "'" + access + "' (expected: one of anyone, realm, openid, bearer)");
		}
		if (access.equals(ProtectionForm.REALM)) {
			errors.requireText("realm", form.realm());
		}
		if (access.equals(ProtectionForm.OPENID) && !errors.requireText("login", form.login())
				&& !logins(snapshot).contains(form.text(form.login()))) {
			errors.field("login", "no OpenID login '" + form.text(form.login()) + "' (create it under OpenID logins)");
		}
		if (access.equals(ProtectionForm.BEARER)) {
			errors.requireText("issuer", form.issuer());
		}
		List<String> allow = addresses(form.allow(), RuleKind.IP_ALLOW, "allow", errors);
		List<String> deny = addresses(form.deny(), RuleKind.IP_DENY, "deny", errors);
		if (!errors.any() && form.version() != snapshot.version()) {
			errors.global(SiteChanges.stale(form.version(), snapshot.version()) + " Check the values and save again.");
		}
		if (errors.any()) {
			return page(model, snapshot, entry, form, errors);
		}
		List<Map<String, Object>> locations = new ArrayList<>();
		SiteChanges.locations(entry.site()).forEach((location) -> locations.add(new LinkedHashMap<>(location)));
		int at = position(locations, path);
		boolean added = at < 0;
		if (added) {
			at = insertion(locations, path);
			Map<String, Object> location = new LinkedHashMap<>();
			location.put("path", path);
			locations.add(at, location);
		}
		Map<String, Object> location = locations.get(at);
		try {
			protect(location, form, access);
			MandrilBlocks.put(location, RuleKind.IP_ALLOW, allow);
			MandrilBlocks.put(location, RuleKind.IP_DENY, deny);
			ConfigService.Outcome outcome = this.changes.apply(snapshot, index,
					new SiteEntry(this.changes.withLocations(entry.site(), locations), entry.enabled()),
					principal.getName());
			Flash.success(redirect,
					"Location " + path + " of site " + name + (added ? " added and" : "") + " saved: "
							+ who(access, form) + ", " + where(allow, deny) + ". Configuration version "
							+ outcome.version() + ".");
			redirect.addAttribute("path", path);
			return "redirect:/console/sites/" + name + "/protect";
		}
		catch (IllegalArgumentException | InvalidConfigurationException ex) {
			String message = String.valueOf(ex.getMessage());
			if (message.contains(".auth.realm: ")) {
				errors.field("realm", message);
			}
			else if (message.contains(".auth." + OpenIdLoginReferences.BLOCK)) {
				errors.field("login", message);
			}
			else if (message.contains(".auth.bearer")) {
				errors.field("issuer", message);
			}
			else if (message.contains("locations[" + at + "].path")) {
				errors.field("path", message);
			}
			else {
				errors.global(message);
			}
			return page(model, snapshot, entry, form, errors);
		}
	}

	/**
	 * Write who may enter into the location's {@code auth:} block, keeping what the form
	 * does not show (a realm's {@code require}, a bearer block's audience and claims).
	 */
	private static void protect(Map<String, Object> location, ProtectionForm form, String access) {
		Map<?, ?> before = (location.get(AuthPlugin.NAME) instanceof Map<?, ?> block) ? block : Map.of();
		Map<String, Object> auth = new LinkedHashMap<>();
		switch (access) {
			case ProtectionForm.ANYONE -> location.remove(AuthPlugin.NAME);
			case ProtectionForm.REALM -> {
				auth.put("realm", form.text(form.realm()));
				if (before.get("require") != null && !before.containsKey(ProtectionForm.BEARER)) {
					auth.put("require", before.get("require"));
				}
				location.put(AuthPlugin.NAME, auth);
			}
			case ProtectionForm.OPENID -> {
				// the location's own keys of an earlier openid block (require, forward,
				// session) stay; the rest is the login's, resolved when the table is
				// built
				Map<String, Object> openid = new LinkedHashMap<>();
				openid.put(OpenIdLoginReferences.LOGIN, form.text(form.login()));
				if (before.get(OpenIdLoginReferences.BLOCK) instanceof Map<?, ?> existing) {
					existing.forEach((key, value) -> {
						if (!OpenIdLoginReferences.LOGIN.equals(key)) {
							openid.put(String.valueOf(key), value);
						}
					});
				}
				auth.put(OpenIdLoginReferences.BLOCK, openid);
				location.put(AuthPlugin.NAME, auth);
			}
			case ProtectionForm.BEARER -> {
				Map<String, Object> bearer = new LinkedHashMap<>();
				if (before.get(ProtectionForm.BEARER) instanceof Map<?, ?> existing) {
					existing.forEach((key, value) -> bearer.put(String.valueOf(key), value));
					before.forEach((key, value) -> {
						if (!"bearer".equals(key)) {
							auth.put(String.valueOf(key), value);
						}
					});
				}
				bearer.put("issuer", form.text(form.issuer()));
				List<String> scopes = words(form.scopes());
				if (scopes.isEmpty()) {
					bearer.remove("scopes");
				}
				else {
					bearer.put("scopes", scopes);
				}
				auth.put(ProtectionForm.BEARER, bearer);
				location.put(AuthPlugin.NAME, auth);
			}
			default -> {
				// keep: the block stays as it is
			}
		}
	}

	private static List<String> addresses(String text, RuleKind kind, String field, FormErrors errors) {
		List<String> values = words(text);
		if (values.size() > MAX_ADDRESSES) {
			errors.field(field, values.size() + " addresses (expected: at most " + MAX_ADDRESSES + ")");
			return List.of();
		}
		for (String value : values) {
			try {
				kind.check(value);
			}
			catch (IllegalArgumentException ex) {
				errors.field(field, ex.getMessage());
				break;
			}
		}
		return values;
	}

	/** The values of a text box: one a line, or separated by spaces or commas. */
	private static List<String> words(String text) {
		List<String> words = new ArrayList<>();
		if (text == null) {
			return words;
		}
		for (String word : text.split("[\\s,]+")) {
			if (!word.isEmpty() && !words.contains(word)) {
				words.add(word);
			}
		}
		return words;
	}

	private static int position(List<Map<String, Object>> locations, String path) {
		for (int i = 0; i < locations.size(); i++) {
			if (path.equals(locations.get(i).get("path"))) {
				return i;
			}
		}
		return -1;
	}

	/**
	 * Where a new location goes: before the first location whose path is a prefix of its
	 * own (locations match first to last, so a {@code /} before it would take its
	 * requests).
	 */
	private static int insertion(List<Map<String, Object>> locations, String path) {
		for (int i = 0; i < locations.size(); i++) {
			if (locations.get(i).get("path") instanceof String other && path.startsWith(other)) {
				return i;
			}
		}
		return locations.size();
	}

	private static String who(String access, ProtectionForm form) {
		return switch (access) {
			case ProtectionForm.REALM -> "users of realm " + form.text(form.realm());
			case ProtectionForm.OPENID -> "sign-in through OpenID login " + form.text(form.login());
			case ProtectionForm.BEARER -> "bearer tokens of " + form.text(form.issuer());
			case ProtectionForm.KEEP -> "its sign-in unchanged";
			default -> "anyone";
		};
	}

	private static String where(List<String> allow, List<String> deny) {
		String from = allow.isEmpty() ? "from every address" : "from " + String.join(", ", allow) + " only";
		return deny.isEmpty() ? from : from + " except " + String.join(", ", deny);
	}

	/**
	 * The form for a location as it is stored, or empty for a path without one.
	 */
	private static ProtectionForm read(SiteEntry entry, String path, long version) {
		for (Location location : entry.site().locations()) {
			if (path.equals(location.path())) {
				String allow = String.join("\n",
						strings(MandrilBlocks.values(location.settings(), RuleKind.IP_ALLOW, null)));
				String deny = String.join("\n",
						strings(MandrilBlocks.values(location.settings(), RuleKind.IP_DENY, null)));
				String realm = RealmReferences.realmOf(location);
				if (realm != null) {
					return new ProtectionForm(path, ProtectionForm.REALM, realm, "", "", "", allow, deny, version);
				}
				Map<?, ?> openid = OpenIdLoginReferences.blockOf(location);
				if (openid != null && openid.get(OpenIdLoginReferences.LOGIN) instanceof String login) {
					return new ProtectionForm(path, ProtectionForm.OPENID, "", login, "", "", allow, deny, version);
				}
				if (location.setting(AuthPlugin.NAME) instanceof Map<?, ?> block) {
					if (block.get(ProtectionForm.BEARER) instanceof Map<?, ?> bearer) {
						Object scopes = bearer.get("scopes");
						String scopeText = (scopes instanceof List<?> list) ? String.join(" ", strings(list)) : "";
						return new ProtectionForm(path, ProtectionForm.BEARER, "", "",
								String.valueOf(bearer.get("issuer")), scopeText, allow, deny, version);
					}
					return new ProtectionForm(path, ProtectionForm.KEEP, "", "", "", "", allow, deny, version);
				}
				return new ProtectionForm(path, ProtectionForm.ANYONE, "", "", "", "", allow, deny, version);
			}
		}
		return new ProtectionForm(path, ProtectionForm.REALM, "", "", "", "", "", "", version);
	}

	/**
	 * Whether the form edits a location's {@code auth:} block: a realm, an OpenID login
	 * or bearer tokens; any other block can only be kept.
	 */
	private static boolean edits(Location location, Map<?, ?> block) {
		Map<?, ?> openid = OpenIdLoginReferences.blockOf(location);
		return RealmReferences.realmOf(location) != null || block.containsKey(ProtectionForm.BEARER)
				|| (openid != null && openid.get(OpenIdLoginReferences.LOGIN) instanceof String);
	}

	/** The names of the stored OpenID logins: the only ones the form offers. */
	private static List<String> logins(ConfigService.Snapshot snapshot) {
		return snapshot.openidLogins().stream().map(OpenIdLogin::name).toList();
	}

	private static List<String> strings(List<?> values) {
		return values.stream().map(String::valueOf).toList();
	}

	private String page(Model model, ConfigService.Snapshot snapshot, SiteEntry entry, ProtectionForm form,
			FormErrors errors) {
		Location current = null;
		for (Location location : entry.site().locations()) {
			if (form.text(form.path()).equals(location.path())) {
				current = location;
			}
		}
		model.addAttribute("entry", entry);
		model.addAttribute("form", form);
		model.addAttribute("exists", current != null);
		model.addAttribute("kept", (current != null && current.setting(AuthPlugin.NAME) instanceof Map<?, ?> block
				&& !edits(current, block)) ? SiteSummaries.how(current, block) : null);
		model.addAttribute("realms", snapshot.realms().stream().map(Realm::name).toList());
		model.addAttribute("logins", logins(snapshot));
		model.addAttribute("paths",
				entry.site().locations().stream().map(Location::path).filter((p) -> p != null).toList());
		model.addAttribute("protections", SiteSummaries.protections(entry.site()));
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		return "console/sites/protect";
	}

}
