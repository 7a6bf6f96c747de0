package dev.capuchin.app.users;

import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Locale;

import dev.capuchin.app.shared.console.Flash;
import dev.capuchin.app.shared.console.FormErrors;
import dev.capuchin.app.shared.console.NotFoundException;
import dev.capuchin.app.audit.AuditLog;
import jakarta.validation.Valid;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The users page (admins only): console accounts with a role, created with a first
 * password, their role changed, switched off, their password reset, deleted. Each change
 * is in the audit log, never with a password or hash. The built-in {@code admin} account
 * is not stored and not listed here.
 */
@Controller
class UsersController {

	private final ConsoleUserStore users;

	private final PasswordEncoder encoder;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	UsersController(ConsoleUserStore users, PasswordEncoder encoder, AuditLog audit, TransactionTemplate transactions) {
		this.users = users;
		this.encoder = encoder;
		this.audit = audit;
		this.transactions = transactions;
	}

	@GetMapping("/console/users")
	String list(Model model) {
		model.addAttribute("users", this.users.findAll());
		model.addAttribute("builtIn", ConsoleUser.BUILT_IN_ADMIN);
		return "console/users/list";
	}

	@GetMapping("/console/users/new")
	String create(Model model) {
		model.addAttribute("form", NewUserForm.blank());
		model.addAttribute(FormErrors.ATTRIBUTE, new FormErrors());
		return "console/users/new";
	}

	@PostMapping("/console/users")
	String created(@Valid @ModelAttribute("form") NewUserForm form, BindingResult binding, Model model,
			Principal principal, RedirectAttributes redirect) {
		FormErrors errors = FormErrors.of(binding);
		String username = (form.username() != null) ? form.username().trim().toLowerCase(Locale.ROOT) : "";
		if (!errors.has("username") && username.equals(ConsoleUser.BUILT_IN_ADMIN)) {
			errors.field("username", "'admin' is the built-in account; choose another name.");
		}
		if (!errors.has("username") && this.users.find(username).isPresent()) {
			errors.field("username", "An account named '" + username + "' exists already.");
		}
		tooLong(form.password(), "password", errors);
		if (errors.any()) {
			model.addAttribute("form", new NewUserForm(form.username(), form.role(), ""));
			model.addAttribute(FormErrors.ATTRIBUTE, errors);
			return "console/users/new";
		}
		ConsoleUser.Role role = ConsoleUser.Role.of(form.role());
		String hash = this.encoder.encode(form.password());
		this.transactions.executeWithoutResult((status) -> {
			ConsoleUser user = this.users.create(username, hash, role);
			this.audit.record(principal.getName(), "added", "user " + username, null, describe(user));
		});
		Flash.success(redirect, "Account " + username + " created with the " + role.key() + " role.");
		return "redirect:/console/users";
	}

	@GetMapping("/console/users/{username}")
	String edit(@PathVariable String username, Model model) {
		return edit(model, find(username), new FormErrors());
	}

	@PostMapping("/console/users/{username}")
	String edited(@PathVariable String username, @RequestParam String role,
			@RequestParam(defaultValue = "false") boolean enabled, Principal principal, RedirectAttributes redirect) {
		ConsoleUser before = find(username);
		ConsoleUser.Role next;
		try {
			next = ConsoleUser.Role.of(role);
		}
		catch (IllegalArgumentException ex) {
			Flash.error(redirect, "Choose admin, operator or viewer.");
			return "redirect:/console/users/" + username;
		}
		this.transactions.executeWithoutResult((status) -> {
			this.users.update(username, next, enabled);
			ConsoleUser after = this.users.find(username).orElseThrow();
			this.audit.record(principal.getName(), "changed", "user " + username, describe(before), describe(after));
		});
		Flash.success(redirect, "Account " + username + " saved: " + next.key() + ", "
				+ (enabled ? "may sign in." : "may not sign in."));
		return "redirect:/console/users";
	}

	@PostMapping("/console/users/{username}/password")
	String password(@PathVariable String username, @Valid @ModelAttribute("passwordForm") PasswordForm form,
			BindingResult binding, Model model, Principal principal, RedirectAttributes redirect) {
		ConsoleUser user = find(username);
		FormErrors errors = FormErrors.of(binding);
		tooLong(form.password(), "password", errors);
		if (errors.any()) {
			return edit(model, user, errors);
		}
		String hash = this.encoder.encode(form.password());
		this.transactions.executeWithoutResult((status) -> {
			this.users.changePassword(username, hash);
			this.audit.record(principal.getName(), "changed", "password of user " + username, null, null);
		});
		Flash.success(redirect, "The password of " + username + " was reset.");
		return "redirect:/console/users";
	}

	@GetMapping("/console/users/{username}/delete")
	String confirmDelete(@PathVariable String username, Model model) {
		model.addAttribute("user", find(username));
		return "console/users/delete";
	}

	@PostMapping("/console/users/{username}/delete")
	String delete(@PathVariable String username, Principal principal, RedirectAttributes redirect) {
		ConsoleUser user = find(username);
		this.transactions.executeWithoutResult((status) -> {
			this.users.delete(username);
			this.audit.record(principal.getName(), "removed", "user " + username, describe(user), null);
		});
		Flash.success(redirect, "Account " + username + " deleted; its sessions end with their next request.");
		return "redirect:/console/users";
	}

	private String edit(Model model, ConsoleUser user, FormErrors errors) {
		model.addAttribute("user", user);
		model.addAttribute("passwordForm", new PasswordForm(""));
		model.addAttribute(FormErrors.ATTRIBUTE, errors);
		return "console/users/edit";
	}

	private ConsoleUser find(String username) {
		return this.users.find(username).orElseThrow(() -> new NotFoundException("Account '" + username + "'"));
	}

	private static void tooLong(String password, String field, FormErrors errors) {
		if (password != null && password.getBytes(StandardCharsets.UTF_8).length > PasswordForm.MAX_LENGTH
				&& !errors.has(field)) {
			errors.field(field, "At most 72 bytes: bcrypt ignores the rest.");
		}
	}

	/**
	 * An account in the audit log: never a password or hash.
	 */
	private static String describe(ConsoleUser user) {
		return "username: " + user.username() + "\nrole: " + user.role().key() + "\nenabled: " + user.enabled() + "\n";
	}

}
