package dev.capuchin.app.security;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import dev.capuchin.app.shared.api.ApiException;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/sign-in-locks}: the {@link PasswordThrottle}'s locks, for admins (and
 * tokens). {@code GET} lists them; {@code DELETE /api/sign-in-locks/{kind}/{key}}
 * ({@code kind} is {@code account} or {@code address}) clears one, recorded in the audit
 * log.
 */
@RestController
class SignInLocksApiController {

	private final PasswordThrottle throttle;

	private final SignInLocksController console;

	SignInLocksApiController(PasswordThrottle throttle, SignInLocksController console) {
		this.throttle = throttle;
		this.console = console;
	}

	@GetMapping("/api/sign-in-locks")
	List<LockView> list() {
		Instant now = Instant.now();
		return this.throttle.locks().stream().map((lock) -> LockView.of(lock, now)).toList();
	}

	@DeleteMapping("/api/sign-in-locks/{kind}/{key}")
	ResponseEntity<Void> delete(@PathVariable String kind, @PathVariable String key, Principal principal) {
		PasswordThrottle.Lock.Kind parsed = SignInLocksController.kindOf(kind);
		if (parsed == null) {
			throw ApiException.badRequest("kind: '" + kind + "' (expected: one of account, address)");
		}
		if (!this.console.clear(parsed, key, principal)) {
			throw ApiException.notFound("sign-in lock " + kind + " " + key);
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * A lock as the API shows it.
	 *
	 * @param kind {@code account} or {@code address}
	 * @param key the name or address
	 * @param failures failures counted
	 * @param until when the lock ends
	 * @param retryAfter seconds left
	 */
	record LockView(String kind, String key, int failures, Instant until, long retryAfter) {

		static LockView of(PasswordThrottle.Lock lock, Instant now) {
			long left = Math.max(1, (Duration.between(now, lock.until()).toMillis() + 999) / 1000);
			return new LockView(lock.kind().name().toLowerCase(Locale.ROOT), lock.key(), lock.failures(), lock.until(),
					left);
		}

	}

}
