package dev.capuchin.app.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import dev.capuchin.app.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Spring's authorization store with refresh token reuse detection: when a grant's refresh
 * token is replaced by a new one, the old one's hash is remembered; when that old token
 * is presented again, someone holds a copy, so the whole grant is revoked (its current
 * access and refresh tokens included) and the request fails as an unknown token.
 */
final class ReuseDetectingAuthorizationService implements OAuth2AuthorizationService {

	private static final Logger logger = LoggerFactory.getLogger(ReuseDetectingAuthorizationService.class);

	private final OAuth2AuthorizationService delegate;

	private final JdbcTemplate jdbc;

	private final AuditLog audit;

	private final Clock clock;

	ReuseDetectingAuthorizationService(OAuth2AuthorizationService delegate, JdbcTemplate jdbc, AuditLog audit,
			Clock clock) {
		this.delegate = delegate;
		this.jdbc = jdbc;
		this.audit = audit;
		this.clock = clock;
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		OAuth2Authorization existing = this.delegate.findById(authorization.getId());
		OAuth2Authorization.Token<OAuth2RefreshToken> previous = (existing != null) ? existing.getRefreshToken() : null;
		OAuth2Authorization.Token<OAuth2RefreshToken> current = authorization.getRefreshToken();
		if (previous != null && current != null
				&& !previous.getToken().getTokenValue().equals(current.getToken().getTokenValue())) {
			Instant expires = previous.getToken().getExpiresAt();
			this.jdbc.update(
					"insert into identity_used_refresh_token (token_hash, authorization_id, expires_at) values (?, ?, ?)",
					hash(previous.getToken().getTokenValue()), authorization.getId(),
					Timestamp.from((expires != null) ? expires : this.clock.instant()));
		}
		this.delegate.save(authorization);
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.delegate.remove(authorization);
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return this.delegate.findById(id);
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		OAuth2Authorization found = this.delegate.findByToken(token, tokenType);
		// only a refresh grant's lookup: introspecting or revoking a used token is no
		// reuse
		if (found == null && OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
			revokeOnReuse(token);
		}
		return found;
	}

	private void revokeOnReuse(String token) {
		Timestamp now = Timestamp.from(this.clock.instant());
		this.jdbc.update("delete from identity_used_refresh_token where expires_at < ?", now);
		List<String> grants = this.jdbc.queryForList(
				"select authorization_id from identity_used_refresh_token where token_hash = ?", String.class,
				hash(token));
		for (String id : grants) {
			OAuth2Authorization grant = this.delegate.findById(id);
			if (grant != null) {
				this.delegate.remove(grant);
				logger.warn("A used refresh token of client {} for {} was presented again: the grant {} is revoked",
						grant.getRegisteredClientId(), grant.getPrincipalName(), id);
				this.audit.record("identity", "revoke", "grant " + id + " (" + grant.getPrincipalName() + ")",
						"refresh token reused\n", null);
			}
		}
	}

	private static String hash(String token) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
