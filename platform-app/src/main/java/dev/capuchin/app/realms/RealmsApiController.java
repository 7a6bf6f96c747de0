package dev.capuchin.app.realms;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;
import dev.capuchin.app.shared.config.ConfigurationConflictException;
import dev.capuchin.app.shared.config.InvalidConfigurationException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * {@code /api/realms}: stored auth realms and their users as JSON, the same changes the
 * console's Realms pages make. Hashes never leave the store here (the whole-configuration
 * export of {@code /api/config} is where they go). Errors are {@code {"error": "..."}}
 * naming the field: 400 for a refused value, 404 for a realm or user that does not exist,
 * 409 for a taken name, a realm still in use, or a configuration that changed meanwhile.
 */
@RestController
@RequestMapping("/api/realms")
class RealmsApiController {

	private final ConfigService config;

	private final RealmChanges changes;

	RealmsApiController(ConfigService config, RealmChanges changes) {
		this.config = config;
		this.changes = changes;
	}

	@GetMapping
	List<RealmView> list() {
		ConfigService.Snapshot snapshot = this.config.current();
		Map<String, List<RealmReferences.Reference>> usage = RealmReferences.usage(snapshot.entries());
		return snapshot.realms().stream().map((realm) -> RealmView.of(realm, usage)).toList();
	}

	@PostMapping
	ResponseEntity<RealmView> create(@RequestBody RealmBody body, Principal principal) {
		this.changes.create(body.name(), body.description(), principal.getName());
		RealmView created = find(body.name().trim());
		return ResponseEntity.created(URI.create("/api/realms/" + UriUtils.encodePathSegment(created.name(), "UTF-8")))
			.body(created);
	}

	@GetMapping("/{name}")
	RealmView get(@PathVariable String name) {
		return find(name);
	}

	@PutMapping("/{name}")
	RealmView update(@PathVariable String name, @RequestBody RealmBody body, Principal principal) {
		String newName = (body.name() != null) ? body.name() : name;
		String description = (body.description() != null) ? body.description() : find(name).description();
		this.changes.update(name, newName, description, principal.getName());
		return find(newName.trim());
	}

	@DeleteMapping("/{name}")
	ResponseEntity<Void> delete(@PathVariable String name, Principal principal) {
		this.changes.delete(name, principal.getName());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/{name}/users")
	List<UserView> users(@PathVariable String name) {
		return find(name).users();
	}

	@PostMapping("/{name}/users")
	ResponseEntity<UserView> addUser(@PathVariable String name, @RequestBody UserBody body, Principal principal) {
		this.changes.addUser(name, body.name(), body.password(), body.email(), body.displayName(), body.groups(),
				principal.getName());
		String user = body.name().trim();
		UserView created = user(name, user);
		return ResponseEntity.created(URI.create("/api/realms/" + UriUtils.encodePathSegment(name, "UTF-8") + "/users/"
				+ UriUtils.encodePathSegment(user, "UTF-8")))
			.body(created);
	}

	@PutMapping("/{name}/users/{user}")
	UserView changeUser(@PathVariable String name, @PathVariable String user, @RequestBody UserChangeBody body,
			Principal principal) {
		if (body.password() != null) {
			this.changes.changePassword(name, user, body.password(), principal.getName());
		}
		if (body.email() != null || body.displayName() != null || body.groups() != null) {
			// a field left out keeps its value; an empty one clears it
			UserView current = user(name, user);
			this.changes.changeProfile(name, user, (body.email() != null) ? body.email() : current.email(),
					(body.displayName() != null) ? body.displayName() : current.displayName(),
					(body.groups() != null) ? body.groups() : current.groups(), principal.getName());
		}
		return user(name, user);
	}

	@DeleteMapping("/{name}/users/{user}")
	ResponseEntity<Void> deleteUser(@PathVariable String name, @PathVariable String user, Principal principal) {
		this.changes.deleteUser(name, user, principal.getName());
		return ResponseEntity.noContent().build();
	}

	private RealmView find(String name) {
		ConfigService.Snapshot snapshot = this.config.current();
		Realm realm = snapshot.realm(name).orElseThrow(() -> new RealmNotFoundException("no realm '" + name + "'"));
		return RealmView.of(realm, RealmReferences.usage(snapshot.entries()));
	}

	private UserView user(String realm, String user) {
		return find(realm).users()
			.stream()
			.filter((candidate) -> candidate.name().equals(user))
			.findFirst()
			.orElseThrow(() -> new RealmNotFoundException("realm " + realm + ": no user '" + user + "'"));
	}

	@ExceptionHandler(RealmNotFoundException.class)
	ResponseEntity<Map<String, String>> notFound(RealmNotFoundException ex) {
		return error(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler(ConfigurationConflictException.class)
	ResponseEntity<Map<String, String>> conflict(ConfigurationConflictException ex) {
		return error(HttpStatus.CONFLICT, ex.getMessage());
	}

	@ExceptionHandler(InvalidConfigurationException.class)
	ResponseEntity<Map<String, String>> invalid(InvalidConfigurationException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler(HttpMessageNotReadableException.class)
	ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException ex) {
		return error(HttpStatus.BAD_REQUEST, "body: expected a JSON object");
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(Map.of("error", message));
	}

	/**
	 * A realm as the API shows it.
	 *
	 * @param name its name
	 * @param description what it is for
	 * @param createdAt when it was created (ISO-8601)
	 * @param users its users, without hashes
	 * @param usedBy the locations that name it
	 */
	record RealmView(String name, String description, String createdAt, List<UserView> users, List<UsageView> usedBy) {

		static RealmView of(Realm realm, Map<String, List<RealmReferences.Reference>> usage) {
			return new RealmView(realm.name(), realm.description(), String.valueOf(realm.createdAt()),
					realm.users().stream().map(UserView::of).toList(),
					usage.getOrDefault(realm.name(), List.of())
						.stream()
						.map((reference) -> new UsageView(reference.site(), reference.location(), reference.match()))
						.toList());
		}

	}

	/**
	 * A realm user as the API shows it: never the hash.
	 *
	 * @param name the user name
	 * @param email the email address, or {@code null}
	 * @param displayName the display name, or {@code null}
	 * @param groups the groups
	 * @param createdAt when the user was added (ISO-8601)
	 */
	record UserView(String name, String email, String displayName, List<String> groups, String createdAt) {

		static UserView of(RealmUser user) {
			return new UserView(user.name(), user.email(), user.displayName(), user.groups(),
					String.valueOf(user.createdAt()));
		}

	}

	/**
	 * A location that names a realm.
	 *
	 * @param site the site
	 * @param location the location's position
	 * @param match the location's path or expression
	 */
	record UsageView(String site, int location, String match) {
	}

	/**
	 * The body of a realm's creation or change.
	 *
	 * @param name the name
	 * @param description the description
	 */
	record RealmBody(String name, String description) {
	}

	/**
	 * The body of a new user.
	 *
	 * @param name the user name
	 * @param password the password
	 * @param email the email address, optional
	 * @param displayName the display name, optional
	 * @param groups the groups, optional
	 */
	record UserBody(String name, String password, String email, String displayName, List<String> groups) {
	}

	/**
	 * The body of a user's change: each field left out keeps its value.
	 *
	 * @param password the new password
	 * @param email the email address ({@code ""} for none)
	 * @param displayName the display name ({@code ""} for none)
	 * @param groups the groups ({@code []} for none)
	 */
	record UserChangeBody(String password, String email, String displayName, List<String> groups) {
	}

}
