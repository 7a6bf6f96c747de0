package dev.capuchin.app.sites;

/**
 * The "Protect a location" form: who may enter a location and from where, in one form, as
 * Nginx Proxy Manager's access lists do.
 *
 * @param path the location's path; a location with this path is changed, else one is
 * added
 * @param access who may enter: {@code anyone}, {@code realm}, {@code openid},
 * {@code bearer}, or {@code keep} for an {@code auth:} block the form does not edit (a
 * users file, a later mode)
 * @param realm the stored realm whose users may enter, for {@code realm}
 * @param login the stored OpenID login browsers sign in through, for {@code openid}
 * @param issuer the issuer whose tokens are accepted, for {@code bearer}
 * @param scopes the scopes a token must grant, separated by spaces or commas, for
 * {@code bearer}
 * @param allow the addresses or CIDR blocks that may enter, one a line; empty for every
 * address
 * @param deny the addresses or CIDR blocks refused, one a line
 * @param version the configuration version the form was opened on
 */
record ProtectionForm(String path, String access, String realm, String login, String issuer, String scopes,
		String allow, String deny, long version) {

	/** Everyone may enter. */
	static final String ANYONE = "anyone";

	/** The users of a stored realm, with HTTP Basic. */
	static final String REALM = "realm";

	/** Browsers signed in at an OpenID Connect provider through a stored OpenID login. */
	static final String OPENID = "openid";

	/** OAuth 2.0 bearer tokens of an issuer. */
	static final String BEARER = "bearer";

	/** An {@code auth:} block the form does not edit stays as it is. */
	static final String KEEP = "keep";

	String text(String value) {
		return (value != null) ? value.trim() : "";
	}

}
