package dev.capuchin.app.identity;

import java.security.Principal;
import java.util.List;

import dev.capuchin.app.audit.AuditLog;

import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/signing-keys}: the identity signing keys (ids, algorithms, age, state;
 * never key material) and their rotation: {@code POST /api/signing-keys/rotate} makes a
 * new signing key and keeps the previous one in the JWK set for the overlap.
 */
@RestController
@RequestMapping("/api/signing-keys")
class SigningKeysApiController {

	private final SigningKeys keys;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	SigningKeysApiController(SigningKeys keys, AuditLog audit, TransactionTemplate transactions) {
		this.keys = keys;
		this.audit = audit;
		this.transactions = transactions;
	}

	@GetMapping
	List<SigningKey> list() {
		this.keys.active();
		return this.keys.list();
	}

	@PostMapping("/rotate")
	@ResponseStatus(HttpStatus.CREATED)
	SigningKey rotate(Principal principal) {
		SigningKey key = this.keys.rotate();
		this.transactions.executeWithoutResult((status) -> this.audit.record(principal.getName(), "rotate",
				"signing-key " + key.kid(), null, "algorithm: " + key.algorithm() + "\n"));
		return key;
	}

}
