package dev.capuchin.plugin.auth.internal;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.capuchin.core.spi.BlockValues;

/**
 * Who may pass an {@code openid} location once signed in: {@code require: {claims: …}}.
 * Every claim named must match (one of its values: a list claim, such as {@code groups},
 * must contain one; any other claim must equal one), and {@code email-domain} requires
 * the {@code email} claim to be at one of the domains (and not marked unverified by
 * {@code email_verified: false}). Without rules any signed-in user passes.
 *
 * @param claims the accepted values by claim name
 * @param emailDomains the accepted domains of {@code email}, lower case; empty for any
 */
public record ClaimRules(Map<String, Set<String>> claims, Set<String> emailDomains) {

	/** Any signed-in user passes. */
	public static final ClaimRules NONE = new ClaimRules(Map.of(), Set.of());

	/** The key of {@code require.claims} that names email domains. */
	static final String EMAIL_DOMAIN = "email-domain";

	/** The most claims a location may require. */
	static final int MAX_RULES = 32;

	/** The most values accepted per claim. */
	static final int MAX_VALUES = 256;

	/**
	 * Read {@code require:}.
	 * @param field the block's name for messages
	 * @param raw the block, or {@code null}
	 * @return the rules
	 */
	static ClaimRules parse(String field, Object raw) {
		if (raw == null) {
			return NONE;
		}
		Map<String, Object> require = BlockValues.block(field, raw);
		BlockValues.checkKeys(field, require, Set.of("claims"));
		Map<String, Object> block = BlockValues.block(field + ".claims", require.get("claims"));
		if (block.size() > MAX_RULES) {
			throw new IllegalArgumentException(
					field + ".claims: " + block.size() + " entries (expected: at most " + MAX_RULES + ")");
		}
		Map<String, Set<String>> claims = new LinkedHashMap<>();
		Set<String> domains = new LinkedHashSet<>();
		block.forEach((name, value) -> {
			String at = field + ".claims." + name;
			BearerBlock.headerSafe(at, name);
			List<String> values = BearerBlock.list(at, value, MAX_VALUES);
			if (values.isEmpty()) {
				throw BlockValues.invalid(at, value, "one value or a non-empty list of values");
			}
			if (EMAIL_DOMAIN.equals(name)) {
				values.forEach((domain) -> domains.add(domain.toLowerCase(Locale.ROOT)));
			}
			else {
				claims.put(name, Set.copyOf(values));
			}
		});
		return new ClaimRules(Map.copyOf(claims), Set.copyOf(domains));
	}

	/**
	 * The claims the rules read, so that a session keeps them.
	 * @return the claim names
	 */
	public Set<String> names() {
		Set<String> names = new LinkedHashSet<>(this.claims.keySet());
		if (!this.emailDomains.isEmpty()) {
			names.add("email");
			names.add("email_verified");
		}
		return names;
	}

	/**
	 * Whether a signed-in user's claims pass.
	 * @param values the claims, strings or lists of strings by name
	 * @return the first rule that failed, or {@code null} when they pass
	 */
	public String refusal(Map<String, Object> values) {
		for (Map.Entry<String, Set<String>> rule : this.claims.entrySet()) {
			Object value = values.get(rule.getKey());
			boolean matched = (value instanceof Collection<?> list) ? list.stream().anyMatch(rule.getValue()::contains)
					: (value != null && rule.getValue().contains(String.valueOf(value)));
			if (!matched) {
				return "claim " + rule.getKey() + " has none of the required values";
			}
		}
		if (!this.emailDomains.isEmpty()) {
			Object email = values.get("email");
			if (!(email instanceof String address) || Boolean.FALSE.equals(values.get("email_verified"))
					|| "false".equals(values.get("email_verified"))) {
				return "no verified email claim";
			}
			int at = address.lastIndexOf('@');
			if (at < 0 || !this.emailDomains.contains(address.substring(at + 1).toLowerCase(Locale.ROOT))) {
				return "email outside the required domains";
			}
		}
		return null;
	}

}
