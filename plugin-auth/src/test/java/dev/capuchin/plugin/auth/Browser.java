package dev.capuchin.plugin.auth;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A browser for the sign-in tests: Java's HTTP client with a cookie jar, following
 * redirects by hand so that a test can stop at, look at or change any step.
 */
final class Browser {

	private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.followRedirects(HttpClient.Redirect.NEVER)
		.cookieHandler(this.cookies)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(URI url, String form) throws IOException, InterruptedException {
		return this.client.send(HttpRequest.newBuilder(url)
			.timeout(Duration.ofSeconds(20))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Follow redirects from a response until one that is not a redirect, or until the
	 * next URL starts with {@code stopAt} (returned instead of fetched).
	 */
	Step follow(HttpResponse<String> response, String stopAt) throws IOException, InterruptedException {
		HttpResponse<String> current = response;
		for (int hops = 0; hops < 20; hops++) {
			String location = current.headers().firstValue("Location").orElse(null);
			if (current.statusCode() < 300 || current.statusCode() > 399 || location == null) {
				return new Step(current, null);
			}
			String next = current.uri().resolve(location).toString();
			if (stopAt != null && next.startsWith(stopAt)) {
				return new Step(current, next);
			}
			current = get(next);
		}
		throw new IllegalStateException("more than 20 redirects");
	}

	/**
	 * Sign in at the provider's form as a user, from the response that sent the browser
	 * to the provider, following redirects until {@code stopAt} or the end.
	 */
	Step signIn(HttpResponse<String> toProvider, String user, String stopAt) throws IOException, InterruptedException {
		Step form = follow(toProvider, null);
		if (form.response().statusCode() != 200 || !form.response().uri().getPath().startsWith("/interaction/")) {
			throw new IllegalStateException("no sign-in form: " + form.response().statusCode() + " "
					+ form.response().uri() + " " + form.response().body());
		}
		return follow(post(form.response().uri(), "login=" + user + "&password=any"), stopAt);
	}

	String cookie(String name) {
		return this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals(name))
			.map(HttpCookie::getValue)
			.findFirst()
			.orElse(null);
	}

	void removeCookie(String name) {
		this.cookies.getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals(name))
			.toList()
			.forEach((cookie) -> this.cookies.getCookieStore().getURIs().forEach((uri) -> {
				this.cookies.getCookieStore().remove(uri, cookie);
			}));
	}

	/**
	 * Where a redirect chain stopped.
	 *
	 * @param response the last response fetched
	 * @param next the URL not fetched because it started with the stop prefix, or
	 * {@code null}
	 */
	record Step(HttpResponse<String> response, String next) {
	}

}
