package dev.capuchin.plugin.auth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.capuchin.core.spi.RequestResult;
import dev.capuchin.core.spi.Location;
import dev.capuchin.core.spi.Site;
import dev.capuchin.core.spi.SiteTable;
import dev.capuchin.core.spi.Exchange;
import dev.capuchin.core.spi.Plugin;
import dev.capuchin.core.spi.Stage;
import dev.capuchin.plugin.auth.internal.AuthBlocks;
import dev.capuchin.plugin.auth.internal.FailureThrottle;
import dev.capuchin.plugin.auth.internal.IssuerRegistry;
import dev.capuchin.plugin.auth.internal.OpenIdBackchannel;
import dev.capuchin.plugin.auth.internal.OpenIdLocation;
import dev.capuchin.plugin.auth.internal.OpenIdRequests;
import dev.capuchin.plugin.auth.internal.PreparedAuth;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Authentication on locations, at {@link Stage#REQUEST}: a location with an {@code auth:}
 * block lets a request through only with valid credentials of a user its {@code require}
 * admits.
 * <ul>
 * <li>A client that has used up its failed attempts gets 429 with {@code Retry-After},
 * before its credentials are looked at.</li>
 * <li>Without credentials, or with malformed or wrong ones: 401 with the mode's challenge
 * ({@code WWW-Authenticate: Basic realm="…", charset="UTF-8"}); malformed and wrong
 * credentials count as failed attempts.</li>
 * <li>A valid user that {@code require} does not list: 403 (RFC 9110 section 15.5.4: the
 * credentials are fine, asking again would not help).</li>
 * <li>A valid user {@code require} admits: the request goes on, with the user name in the
 * exchange attribute {@value Exchange#USER} (and {@value Exchange#AUTH_TYPE}) for later
 * stages (the access log).</li>
 * </ul>
 * A location may instead accept OAuth 2.0 bearer tokens ({@code auth: {bearer: …}}, see
 * {@link BearerAuthMode}): 401 and 403 then carry RFC 6750 challenges, and the token's
 * chosen claims go to later stages in {@value #CLAIMS_ATTRIBUTE}. Or it may sit behind an
 * OpenID Connect sign-in ({@code auth: {openid: …}}, see {@link OpenIdAuthMode}):
 * browsers without a session are sent to the provider, and the plugin answers the
 * sign-in's callback and logout paths on every site with such a location.
 * <p>
 * Password checks run on a bounded scheduler the plugin owns ({@code hash-threads}
 * threads, {@value AuthSettings#MAX_QUEUED_CHECKS} waiting checks); the response is then
 * written back on the request's event loop.
 */
public final class AuthPlugin implements Plugin {

	/** The plugin's name and its key in location blocks. */
	public static final String NAME = "auth";

	/**
	 * Runs after mandril's address and URI rules (which are cheaper and may set the real
	 * client address behind a trusted proxy) and before other REQUEST plugins.
	 */
	public static final int ORDER = -500;

	/**
	 * The exchange attribute that holds the claims a {@code bearer} location chose
	 * ({@code claims: […]}) of the request's token, a {@code Map<String, String>} by
	 * claim name, for later stages: a handler, the access log, or the proxy, which sends
	 * them to the backend as headers. Absent when the location chose none.
	 */
	public static final String CLAIMS_ATTRIBUTE = "capuchin.auth.claims";

	/** The stages the plugin uses. */
	public static final Set<Stage> STAGES = Set.of(Stage.REQUEST);

	private static final Logger logger = LoggerFactory.getLogger(AuthPlugin.class);

	private final AuthSettings settings;

	private final Scheduler scheduler;

	private final FailureThrottle throttle;

	private final Map<String, AuthMode> modes;

	private final AuthBlocks blocks;

	private final BearerSettings bearerSettings;

	private final IssuerRegistry issuers;

	private final BearerAuthMode bearer;

	private final OpenIdAuthMode openId;

	private final OpenIdRevocations revocations;

	/**
	 * Create the plugin with its hashing scheduler (threads start on first use) and the
	 * {@code bearer} mode's default settings.
	 * @param settings the global settings
	 */
	public AuthPlugin(AuthSettings settings) {
		this(settings, BearerSettings.defaults());
	}

	/**
	 * Create the plugin with its hashing scheduler (threads start on first use).
	 * @param settings the global settings
	 * @param bearerSettings the settings of the {@code bearer} mode
	 */
	public AuthPlugin(AuthSettings settings, BearerSettings bearerSettings) {
		this(settings, bearerSettings, new MemoryOpenIdRevocations());
	}

	/**
	 * Create the plugin with its hashing scheduler (threads start on first use).
	 * @param settings the global settings
	 * @param bearerSettings the settings of the {@code bearer} mode
	 * @param revocations where the {@code openid} mode records and looks up back-channel
	 * logouts: one node's memory, or a cluster's store
	 */
	public AuthPlugin(AuthSettings settings, BearerSettings bearerSettings, OpenIdRevocations revocations) {
		this.settings = Objects.requireNonNull(settings, "settings");
		this.revocations = Objects.requireNonNull(revocations, "revocations");
		this.scheduler = Schedulers.newBoundedElastic(settings.hashThreads(), AuthSettings.MAX_QUEUED_CHECKS,
				"capuchin-auth", 60, true);
		this.throttle = new FailureThrottle(settings.maxFailures(), settings.failureWindow(),
				AuthSettings.MAX_THROTTLED_CLIENTS);
		BasicAuthMode basic = new BasicAuthMode(settings, this.scheduler);
		this.bearerSettings = Objects.requireNonNull(bearerSettings, "bearerSettings");
		// one registry for both modes: a provider used for sign-ins and bearer tokens is
		// discovered once, its keys fetched once, its connections shared
		this.issuers = new IssuerRegistry(bearerSettings);
		this.bearer = new BearerAuthMode(this.issuers);
		this.openId = new OpenIdAuthMode(this.issuers, this.bearer, revocations);
		this.modes = Map.of(basic.name(), basic, this.bearer.name(), this.bearer, this.openId.name(), this.openId);
		this.blocks = new AuthBlocks(this.modes);
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public Set<Stage> stages() {
		return STAGES;
	}

	@Override
	public int order() {
		return ORDER;
	}

	/**
	 * The global settings.
	 * @return the settings
	 */
	public AuthSettings settings() {
		return this.settings;
	}

	/**
	 * The settings of the {@code bearer} mode.
	 * @return the settings
	 */
	public BearerSettings bearerSettings() {
		return this.bearerSettings;
	}

	/**
	 * Where the {@code openid} mode records and looks up back-channel logouts.
	 * @return the revocations
	 */
	public OpenIdRevocations openIdRevocations() {
		return this.revocations;
	}

	/**
	 * The modes a location may choose, by name.
	 * @return the modes
	 */
	public Map<String, AuthMode> modes() {
		return this.modes;
	}

	/**
	 * Compile the {@code auth:} block of every location, reading each users file.
	 * @throws IllegalArgumentException naming the site and field (and, for a users file,
	 * the file, line and user) at fault
	 */
	@Override
	public Object prepare(SiteTable sites) {
		Map<Location, LocationAuth> protectedLocations = new IdentityHashMap<>();
		Map<Site, Map<String, OpenIdLocation>> openIdSites = new IdentityHashMap<>();
		for (Site site : sites.sites()) {
			if (site.setting(NAME) != null) {
				throw new IllegalArgumentException("site " + site.name() + ": " + NAME
						+ ": not read at site level (expected: an auth block in a location, such as path: /)");
			}
			List<Location> locations = site.locations();
			for (int i = 0; i < locations.size(); i++) {
				Object block = locations.get(i).setting(NAME);
				if (block != null) {
					String field = "site " + site.name() + ": locations[" + i + "]." + NAME;
					protectedLocations.put(locations.get(i), this.blocks.compile(field, block));
				}
			}
			Map<String, OpenIdLocation> logins = openIdLogins(site, protectedLocations);
			if (!logins.isEmpty()) {
				openIdSites.put(site, logins);
			}
		}
		return new PreparedAuth(protectedLocations, openIdSites);
	}

	/**
	 * The OpenID logins of a site: locations naming one login must sign in the same way
	 * (they share its callback and sessions), and every one keeps the claims any of them
	 * needs.
	 */
	private static Map<String, OpenIdLocation> openIdLogins(Site site, Map<Location, LocationAuth> compiled) {
		Map<String, OpenIdLocation> logins = new LinkedHashMap<>();
		Map<String, Set<String>> kept = new LinkedHashMap<>();
		Map<String, String> fields = new LinkedHashMap<>();
		for (Location location : site.locations()) {
			LocationAuth auth = compiled.get(location);
			if (auth != null && auth.modeSettings() instanceof OpenIdLocation openid) {
				String login = openid.block().login();
				OpenIdLocation first = logins.putIfAbsent(login, openid);
				if (first != null && !first.sameLogin(openid)) {
					throw new IllegalArgumentException(auth.field() + ".openid.login: " + login
							+ " signs in otherwise than at " + fields.get(login)
							+ " (expected: the same issuer, client, session key and lifetimes for one login on a site)");
				}
				fields.putIfAbsent(login, auth.field());
				kept.computeIfAbsent(login, (name) -> new LinkedHashSet<>()).addAll(openid.kept());
			}
		}
		for (Map.Entry<Location, LocationAuth> entry : compiled.entrySet()) {
			if (entry.getValue().modeSettings() instanceof OpenIdLocation openid
					&& site.locations().stream().anyMatch((location) -> location == entry.getKey())) {
				LocationAuth auth = entry.getValue();
				entry.setValue(new LocationAuth(auth.field(), auth.mode(), auth.realm(), auth.require(),
						openid.withKept(kept.get(openid.block().login()))));
			}
		}
		logins.replaceAll((login, openid) -> openid.withKept(kept.get(login)));
		return logins;
	}

	@Override
	public void stop() {
		this.scheduler.dispose();
		this.issuers.stop();
	}

	@Override
	public Mono<RequestResult> onRequest(Exchange exchange) {
		PreparedAuth prepared = exchange.state(this);
		if (prepared == null) {
			return CONTINUE;
		}
		Map<String, OpenIdLocation> logins = prepared.openIdLogins(exchange.site());
		LocationAuth auth;
		if (logins != null) {
			// the identity headers are the openid mode's to set, on every path of the
			// site
			OpenIdAuthMode.strip(exchange.request().requestHeaders());
			String path = exchange.path();
			if (OpenIdRequests.BACKCHANNEL_LOGOUT.equals(path)) {
				EventLoop loop = eventLoopOf(exchange);
				return this.openId.backchannelLogout(exchange, logins)
					.flatMap((answer) -> onLoop(loop, () -> backchannelAnswer(exchange, answer)));
			}
			auth = (OpenIdRequests.CALLBACK.equals(path) || OpenIdRequests.LOGOUT.equals(path))
					? new LocationAuth("site " + exchange.site().name() + ": " + path, this.openId, "OpenID",
							Require.VALID_USER, null)
					: prepared.get(exchange.location());
		}
		else {
			auth = prepared.get(exchange.location());
		}
		if (auth == null) {
			return CONTINUE;
		}
		InetAddress client = clientOf(exchange);
		long blocked = this.throttle.blockedFor(client);
		if (blocked > 0) {
			long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(blocked + 999_999_999L));
			logger.debug("connection {}: {}: client {} refused for {} s after repeated failures",
					exchange.connection().id(), auth.field(), client.getHostAddress(), seconds);
			exchange.response().header(HttpHeaderNames.RETRY_AFTER, Long.toString(seconds));
			return refuse(exchange, 429, "too many failed authentication attempts");
		}
		// the callback and logout paths have no location of their own (no mode settings)
		AuthResult known = (auth.modeSettings() != null) ? auth.mode().immediate(exchange, auth) : null;
		if (known != null) {
			// on the request's loop already; an admitted request gets the shared
			// CONTINUE,
			// which the kernel passes on without assembling any operator
			return respond(exchange, auth, client, known);
		}
		EventLoop loop = eventLoopOf(exchange);
		Mono<AuthResult> checked = (auth.modeSettings() == null) ? this.openId.endpoint(exchange, logins)
				: auth.mode().authenticate(exchange, auth);
		return checked.flatMap((result) -> onLoop(loop, () -> respond(exchange, auth, client, result)));
	}

	private Mono<RequestResult> respond(Exchange exchange, LocationAuth auth, InetAddress client, AuthResult result) {
		String connection = exchange.connection().id();
		for (String cookie : result.cookies()) {
			exchange.response().addHeader(HttpHeaderNames.SET_COOKIE, cookie);
		}
		switch (result.outcome()) {
			case AUTHENTICATED -> {
				exchange.attribute(Exchange.USER, result.user());
				exchange.attribute(Exchange.AUTH_TYPE, auth.mode().scheme());
				if (!result.claims().isEmpty()) {
					exchange.attribute(CLAIMS_ATTRIBUTE, result.claims());
				}
				if (auth.require().permits(result.user())) {
					return CONTINUE;
				}
				logger.debug("connection {}: {}: user {} is not in require {}", connection, auth.field(), result.user(),
						auth.require());
				return refuse(exchange, 403, "user " + result.user() + " not admitted by require");
			}
			case MISSING -> {
				exchange.response().header(HttpHeaderNames.WWW_AUTHENTICATE, result.challenge());
				return exchange.sendError(401).thenReturn(RequestResult.DONE);
			}
			case FAILED -> {
				this.throttle.failed(client);
				logger.debug("connection {}: {}: client {}: {}", connection, auth.field(), client.getHostAddress(),
						result.reason());
				exchange.response().header(HttpHeaderNames.WWW_AUTHENTICATE, result.challenge());
				return refuse(exchange, 401, result.reason());
			}
			case FORBIDDEN -> {
				logger.debug("connection {}: {}: client {}: {}", connection, auth.field(), client.getHostAddress(),
						result.reason());
				if (result.challenge() != null) {
					exchange.response().header(HttpHeaderNames.WWW_AUTHENTICATE, result.challenge());
				}
				return refuse(exchange, 403, result.reason());
			}
			case REDIRECT -> {
				logger.debug("connection {}: {}: client {}: {}", connection, auth.field(), client.getHostAddress(),
						result.reason());
				return redirect(exchange, result.location());
			}
			default -> {
				logger.warn("connection {}: {}: credentials not checked: {}", connection, auth.field(),
						result.reason());
				exchange.response().header(HttpHeaderNames.RETRY_AFTER, "1");
				return refuse(exchange, 503, result.reason());
			}
		}
	}

	/**
	 * The answer to a provider's back-channel logout (section 2.8 of the specification):
	 * never cached, a JSON error body with a 400.
	 */
	private static Mono<RequestResult> backchannelAnswer(Exchange exchange, OpenIdBackchannel.Answer answer) {
		String site = "site " + exchange.site().name() + ": " + OpenIdRequests.BACKCHANNEL_LOGOUT;
		if (answer.status() == 200) {
			logger.info("connection {}: {}: {}", exchange.connection().id(), site, answer.reason());
		}
		else if (answer.status() == 503) {
			logger.warn("connection {}: {}: {}", exchange.connection().id(), site, answer.reason());
		}
		else {
			logger.debug("connection {}: {}: {}", exchange.connection().id(), site, answer.reason());
		}
		HttpServerResponse response = exchange.response();
		response.status(answer.status());
		response.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
		if (answer.status() == 405) {
			response.header(HttpHeaderNames.ALLOW, "POST");
		}
		String body = (answer.error() != null) ? "{\"error\":\"" + answer.error() + "\"}" : "";
		if (!body.isEmpty()) {
			response.header(HttpHeaderNames.CONTENT_TYPE, "application/json");
		}
		response.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length()));
		return response.sendString(Mono.just(body)).then().thenReturn(RequestResult.DONE);
	}

	/**
	 * A 302 without a body, never cached: sign-in redirects carry one-time values.
	 */
	private static Mono<RequestResult> redirect(Exchange exchange, String location) {
		HttpServerResponse response = exchange.response();
		response.status(HttpResponseStatus.FOUND);
		response.header(HttpHeaderNames.LOCATION, location);
		response.header(HttpHeaderNames.CACHE_CONTROL, "no-store");
		response.header(HttpHeaderNames.CONTENT_LENGTH, "0");
		return response.send().thenReturn(RequestResult.DONE);
	}

	private static Mono<RequestResult> refuse(Exchange exchange, int status, String reason) {
		exchange.attribute(Exchange.ERROR_REASON, reason);
		return exchange.sendError(status).thenReturn(RequestResult.DONE);
	}

	/**
	 * Continue on the request's event loop: a check that ran on the hashing scheduler
	 * must not leave later plugins and the response on that scheduler's thread.
	 */
	private static Mono<RequestResult> onLoop(EventLoop loop, Supplier<Mono<RequestResult>> step) {
		if (loop == null || loop.inEventLoop()) {
			return step.get();
		}
		return Mono.defer(step).subscribeOn(Schedulers.fromExecutor(loop));
	}

	private static InetAddress clientOf(Exchange exchange) {
		InetSocketAddress address = exchange.clientAddress();
		InetAddress client = (address != null) ? address.getAddress() : null;
		return (client != null) ? client : InetAddress.getLoopbackAddress();
	}

	private static EventLoop eventLoopOf(Exchange exchange) {
		EventLoop[] holder = new EventLoop[1];
		exchange.request().withConnection((Connection connection) -> holder[0] = connection.channel().eventLoop());
		return holder[0];
	}

}
