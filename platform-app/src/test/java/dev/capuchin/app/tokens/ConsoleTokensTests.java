package dev.capuchin.app.tokens;

import dev.capuchin.app.shared.console.ConsoleTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.capuchin.app.users.ConsoleUser;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API tokens page. In this application context only these tests create tokens, and
 * the empty page is checked first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleTokensTests extends ConsoleTestSupport {

	private static final Pattern TOKEN = Pattern.compile("cap_[A-Za-z0-9_-]{43}");

	@Autowired
	ApiTokenService tokens;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	@Order(1)
	void withoutTokensThePageSaysWhatToDo() throws Exception {
		HttpClient admin = signedIn("admin", PASSWORD);
		HttpResponse<String> page = httpGet(admin, "/console/tokens");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("id=\"tokens-empty\"", "No API tokens yet", "id=\"new-token\"");
	}

	@Test
	@Order(2)
	void reloadingTheCreatedPageNeitherPostsAgainNorShowsTheTokenAgain() throws Exception {
		HttpClient admin = signedIn("admin", PASSWORD);
		String form = httpGet(admin, "/console/tokens/new").body();
		HttpResponse<String> posted = httpPost(admin, "/console/tokens",
				"name=reloaded&scope=read&expiry=30&_csrf=" + csrfToken(form));
		assertThat(posted.statusCode()).isEqualTo(302);
		String page = URI.create(posted.headers().firstValue("location").orElseThrow()).getPath();
		assertThat(page).matches("/console/tokens/\\d+/created");
		HttpResponse<String> first = httpGet(admin, page);
		assertThat(first.statusCode()).isEqualTo(200);
		Matcher matcher = TOKEN.matcher(first.body());
		assertThat(matcher.find()).isTrue();
		HttpResponse<String> reloaded = httpGet(admin, page);
		assertThat(reloaded.statusCode()).isEqualTo(302);
		assertThat(reloaded.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/tokens"));
		assertThat(reloaded.body()).doesNotContain(matcher.group());
		assertThat(this.tokens.list()).filteredOn((token) -> token.name().equals("reloaded")).hasSize(1);
	}

	private HttpResponse<String> shown(HttpClient client, HttpResponse<String> posted) throws Exception {
		assertThat(posted.statusCode()).isEqualTo(302);
		return httpGet(client, URI.create(posted.headers().firstValue("location").orElseThrow()).getPath());
	}

	@Test
	@Order(3)
	void aTokenCreatedInTheConsoleIsShownOnceAndOpensTheApiUntilRevoked() throws Exception {
		HttpClient admin = signedIn("admin", PASSWORD);
		String form = httpGet(admin, "/console/tokens/new").body();
		HttpResponse<String> created = shown(admin, httpPost(admin, "/console/tokens",
				"name=deploy+from+CI&scope=write&expiry=30&_csrf=" + csrfToken(form)));
		assertThat(created.statusCode()).isEqualTo(200);
		assertThat(created.headers().firstValue("cache-control"))
			.hasValueSatisfying((value) -> assertThat(value).contains("no-store"));
		assertThat(created.body()).contains("Copy it now: it will not be shown again", "id=\"curl-example\"",
				"Authorization: Bearer cap_", control("/api/status"));
		Matcher matcher = TOKEN.matcher(created.body());
		assertThat(matcher.find()).isTrue();
		String token = matcher.group();
		assertThat(this.jdbc.queryForObject("select token_hash from api_token where name = 'deploy from CI'",
				String.class))
			.isEqualTo(ApiTokenService.hash(token));
		HttpResponse<String> list = httpGet(admin, "/console/tokens");
		assertThat(list.body()).contains("deploy from CI", "write", "active").doesNotContain(token);
		assertThat(api("/api/status", token).statusCode()).isEqualTo(200);
		long id = this.tokens.list()
			.stream()
			.filter((t) -> t.name().equals("deploy from CI"))
			.findFirst()
			.orElseThrow()
			.id();
		HttpResponse<String> confirm = httpGet(admin, "/console/tokens/" + id + "/revoke");
		assertThat(confirm.statusCode()).isEqualTo(200);
		assertThat(confirm.body()).contains("Revoke token", "id=\"confirm-revoke\"");
		HttpResponse<String> revoked = httpPost(admin, "/console/tokens/" + id + "/revoke",
				"_csrf=" + csrfToken(confirm.body()));
		assertThat(revoked.statusCode()).isEqualTo(302);
		assertThat(revoked.headers().firstValue("location"))
			.hasValueSatisfying((location) -> assertThat(location).endsWith("/console/tokens"));
		HttpResponse<String> refused = api("/api/status", token);
		assertThat(refused.statusCode()).isEqualTo(401);
		assertThat(refused.headers().firstValue("www-authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"invalid_token\""));
		assertThat(httpGet(admin, "/console/tokens").body()).contains("revoked");
	}

	@Test
	@Order(3)
	void anInvalidFormIsRefusedBesideTheFieldAndKeepsWhatWasTyped() throws Exception {
		HttpClient admin = signedIn("admin", PASSWORD);
		String csrf = csrfToken(httpGet(admin, "/console/tokens/new").body());
		HttpResponse<String> refused = httpPost(admin, "/console/tokens", "name=&scope=write&expiry=365&_csrf=" + csrf);
		assertThat(refused.statusCode()).isEqualTo(200);
		assertThat(refused.body()).contains("id=\"name-error\"", "Enter what the token is for.")
			.containsPattern("value=\"365\"\\s+selected")
			.containsPattern("id=\"scope-write\" value=\"write\"\\s+checked");
		HttpResponse<String> badExpiry = httpPost(admin, "/console/tokens",
				"name=nightly+backup&scope=read&expiry=7&_csrf=" + csrf);
		assertThat(badExpiry.body()).contains("id=\"expiry-error\"", "value=\"nightly backup\"");
		assertThat(this.tokens.list()).noneSatisfy((token) -> assertThat(token.name()).isEqualTo("nightly backup"));
		assertThat(httpPost(admin, "/console/tokens", "name=no+csrf&scope=read&expiry=30").statusCode()).isEqualTo(403);
	}

	@Test
	@Order(4)
	void aNameInUseIsRefusedBesideTheField() throws Exception {
		HttpClient admin = signedIn("admin", PASSWORD);
		String csrf = csrfToken(httpGet(admin, "/console/tokens/new").body());
		assertThat(httpPost(admin, "/console/tokens", "name=monitoring&scope=read&expiry=never&_csrf=" + csrf)
			.statusCode()).isEqualTo(302);
		HttpResponse<String> again = httpPost(admin, "/console/tokens",
				"name=monitoring&scope=read&expiry=never&_csrf=" + csrf);
		assertThat(again.body()).contains("id=\"name-error\"", "exists already");
	}

	@Test
	@Order(5)
	void onlyAdminsSeeTheTokensPageAndItsNavigationItem() throws Exception {
		account("tokens-viewer", ConsoleUser.Role.VIEWER, "viewer-password-1");
		HttpClient viewer = signedIn("tokens-viewer", "viewer-password-1");
		assertThat(httpGet(viewer, "/console/tokens").statusCode()).isEqualTo(403);
		assertThat(httpGet(viewer, "/console/tokens/new").statusCode()).isEqualTo(403);
		assertThat(httpGet(viewer, "/console/sites").body()).doesNotContain("API tokens");
		assertThat(httpGet(signedIn("admin", PASSWORD), "/console/sites").body())
			.contains("href=\"/console/tokens\">API tokens</a>");
	}

	private HttpClient signedIn(String username, String password) throws Exception {
		HttpClient client = browser();
		assertThat(signIn(client, username, password).statusCode()).isEqualTo(302);
		return client;
	}

	private HttpResponse<String> api(String path, String token) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(control(path))).header("Authorization", "Bearer " + token).build(),
					HttpResponse.BodyHandlers.ofString());
	}

}
