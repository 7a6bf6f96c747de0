package dev.capuchin.plugin.proxy;

import java.nio.file.Path;

import java.util.List;
import java.util.Map;

import dev.capuchin.core.internal.transport.Transport;
import dev.capuchin.core.testing.EveryTransport;
import dev.capuchin.core.testing.KernelFixture;
import dev.capuchin.core.testing.RawHttp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exchange through the proxy over real sockets: what goes to the server, what comes
 * back, failover, and the answers when no server can. Runs on every transport.
 */
@EveryTransport
class ProxySocketTests {

	@TempDir
	Path temp;

	@Parameter
	Transport transport;

	@RegisterExtension
	final Closing closing = new Closing();

	private KernelFixture kernel;

	private Backend backend(String name) {
		Backend backend = Backend.named(name);
		this.closing.add(backend);
		return backend;
	}

	private void start(Map<String, Object> proxy) throws Exception {
		this.kernel = this.closing.add(KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(new ProxyPlugin(ProxySettings.DEFAULTS))
			.defaultSite(Backend.proxied("/app/", proxy))
			.file("index.html", "static")
			.start());
	}

	@Test
	void requestGoesToTheServerAndItsAnswerComesBack() throws Exception {
		Backend a = backend("a");
		start(Map.of("servers", List.of(a.url())));
		RawHttp.Response response = this.kernel.get("/app/hello?x=1");
		assertThat(response.status()).isEqualTo(200);
		assertThat(Backend.text(response.body())).isEqualTo("a");
		assertThat(response.header("Content-Type")).isEqualTo("text/plain");
		assertThat(a.last().uri()).isEqualTo("/app/hello?x=1");
		assertThat(a.last().headers().get("Host")).isEqualTo("127.0.0.1:" + a.port());
		assertThat(a.last().headers().get("Via")).isEqualTo("1.1 " + this.kernel.server().nodeId());
		assertThat(a.last().headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
		assertThat(a.last().headers().get("X-Forwarded-Proto")).isEqualTo("http");
		assertThat(a.last().headers().get("X-Forwarded-Host")).isEqualTo("localhost");
		assertThat(a.last().headers().get("Forwarded")).isEqualTo("for=127.0.0.1;host=\"localhost\";proto=http");
	}

	@Test
	void otherLocationsStayWithStaticFiles() throws Exception {
		Backend a = backend("a");
		start(Map.of("servers", List.of(a.url())));
		assertThat(Backend.text(this.kernel.get("/index.html").body())).isEqualTo("static");
		assertThat(a.received).isEmpty();
	}

	@Test
	void stripPrefixRemovesTheLocationPath() throws Exception {
		Backend a = backend("a");
		start(Map.of("servers", List.of(a.url()), "strip-prefix", true));
		this.kernel.get("/app/x/y?q=2");
		assertThat(a.last().uri()).isEqualTo("/x/y?q=2");
	}

	@Test
	void rewriteUsesRegexGroups() throws Exception {
		Backend a = backend("a");
		start(Map.of("servers", List.of(a.url()), "rewrite", Map.of("match", "^/app/(.*)$", "replace", "/v2/$1")));
		this.kernel.get("/app/items?id=3");
		assertThat(a.last().uri()).isEqualTo("/v2/items?id=3");
	}

	@Test
	void preserveHostKeepsTheClientsHost() throws Exception {
		Backend a = backend("a");
		start(Map.of("servers", List.of(a.url()), "preserve-host", true));
		this.kernel.get("/app/");
		assertThat(a.last().headers().get("Host")).isEqualTo("localhost");
	}

	@Test
	void hopByHopHeadersAreRemovedBothWays() throws Exception {
		Backend a = Backend.handling("a",
				(request, response) -> response.header("Keep-Alive", "timeout=5")
					.header("X-Private", "secret")
					.header("Connection", "X-Private")
					.sendString(Mono.just("ok")));
		this.closing.add(a);
		start(Map.of("servers", List.of(a.url())));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("GET /app/ HTTP/1.1\r\nHost: localhost\r\n"
					+ "Connection: keep-alive, X-Secret\r\nX-Secret: 1\r\nTE: trailers\r\nProxy-Authorization: x\r\n\r\n");
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.header("X-Private")).isNull();
			assertThat(response.header("Keep-Alive")).isNull();
		}
		assertThat(a.last().headers().names()).map(String::toLowerCase)
			.doesNotContain("x-secret", "te", "proxy-authorization");
	}

	@Test
	void forgedForwardingHeadersFromAnUntrustedClientAreReplaced() throws Exception {
		Backend a = backend("a");
		start(Map.of("servers", List.of(a.url())));
		try (RawHttp http = this.kernel.connect()) {
			http.exchange("GET /app/ HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 6.6.6.6\r\n"
					+ "X-Forwarded-Proto: https\r\nForwarded: for=6.6.6.6\r\n\r\n");
		}
		assertThat(a.last().headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
		assertThat(a.last().headers().get("X-Forwarded-Proto")).isEqualTo("http");
		assertThat(a.last().headers().get("Forwarded")).doesNotContain("6.6.6.6");
	}

	@Test
	void postBodyGoesToTheServer() throws Exception {
		Backend a = Backend.handling("a",
				(request,
						response) -> response.sendString(request.receive()
							.aggregate()
							.asString()
							.map((body) -> "got " + body + " " + request.requestHeaders().get("Content-Length"))));
		this.closing.add(a);
		start(Map.of("servers", List.of(a.url())));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http
				.exchange("POST /app/form HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello");
			assertThat(Backend.text(response.body())).isEqualTo("got hello 5");
		}
	}

	@Test
	void expectContinueGets100AndTheBodyReachesTheServer() throws Exception {
		Backend a = Backend.handling("a",
				(request,
						response) -> response.sendString(request.receive()
							.aggregate()
							.asString()
							.map((body) -> "got " + body + " expect=" + request.requestHeaders().get("Expect"))));
		this.closing.add(a);
		start(Map.of("servers", List.of(a.url())));
		try (RawHttp http = this.kernel.connect()) {
			http.send("POST /app/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
					+ "Expect: 100-continue\r\n\r\n");
			// the body is held back until the interim answer, as a client such as curl
			// does
			RawHttp.Response interim = http.readHead();
			assertThat(interim.status()).isEqualTo(100);
			RawHttp.Response response = http.exchange("hello");
			assertThat(response.status()).isEqualTo(200);
			assertThat(Backend.text(response.body())).isEqualTo("got hello expect=null");
		}
	}

	@Test
	void theResponseCarriesOneDateAndOneServer() throws Exception {
		Backend tagged = Backend.handling("tagged",
				(request, response) -> response.header("Server", "backend/1.0")
					.header("Date", "Thu, 01 Jan 1970 00:00:00 GMT")
					.sendString(Mono.just("ok")));
		this.closing.add(tagged);
		start(Map.of("servers", List.of(tagged.url())));
		RawHttp.Response response = this.kernel.get("/app/");
		assertThat(response.headers().get("server")).singleElement().isNotEqualTo("backend/1.0");
		assertThat(response.headers().get("date")).singleElement().isNotEqualTo("Thu, 01 Jan 1970 00:00:00 GMT");
	}

	@Test
	void chunkedRequestBodyIsReframed() throws Exception {
		Backend a = Backend.handling("a", (request, response) -> response
			.sendString(request.receive().aggregate().asString().map((body) -> "got " + body)));
		this.closing.add(a);
		start(Map.of("servers", List.of(a.url())));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("POST /app/ HTTP/1.1\r\nHost: localhost\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
			assertThat(Backend.text(response.body())).isEqualTo("got abcde");
		}
	}

	@Test
	void aChunkedBodyPastTheLocationsLimitIs413AndCostsTheServerNothing() throws Exception {
		Backend a = Backend.handling("a", (request, response) -> response
			.sendString(request.receive().aggregate().asString().map((body) -> "got " + body)));
		this.closing.add(a);
		ProxyPlugin plugin = new ProxyPlugin(ProxySettings.DEFAULTS);
		this.kernel = this.closing.add(KernelFixture.builder(this.temp)
			.transport(this.transport)
			.plugin(plugin)
			.defaultSite(Map.of("locations",
					List.of(Map.of("path", "/app/", "max-body-size", "4B", "proxy",
							Map.of("servers", List.of(a.url()), "max-fails", 1)))))
			.start());
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("POST /app/ HTTP/1.1\r\nHost: localhost\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");
			assertThat(response.status()).isEqualTo(413);
			assertThat(response.header("Connection")).isEqualTo("close");
		}
		assertThat(plugin.upstreams()).singleElement()
			.satisfies((upstream) -> assertThat(upstream.servers()).singleElement()
				.satisfies((server) -> assertThat(server.failures()).isZero()));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http.exchange("POST /app/ HTTP/1.1\r\nHost: localhost\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
			assertThat(Backend.text(response.body())).isEqualTo("got abc");
		}
	}

	@Test
	void connectRefusedMovesToTheNextServer() throws Exception {
		Backend b = backend("b");
		String refused = "http://127.0.0.1:" + RefusedPort.find();
		start(Map.of("servers", List.of(refused, b.url()), "balancer", "first-alive"));
		RawHttp.Response response = this.kernel.get("/app/");
		assertThat(response.status()).isEqualTo(200);
		assertThat(Backend.text(response.body())).isEqualTo("b");
	}

	@Test
	void everyServerRefusingGives502() throws Exception {
		start(Map.of("servers", List.of("http://127.0.0.1:" + RefusedPort.find())));
		assertThat(this.kernel.get("/app/").status()).isEqualTo(502);
	}

	@Test
	void serverErrorStatusMovesOnForSafeRequests() throws Exception {
		Backend failing = Backend.handling("x", (request, response) -> response.status(503).send());
		this.closing.add(failing);
		Backend b = backend("b");
		start(Map.of("servers", List.of(failing.url(), b.url()), "balancer", "first-alive", "max-fails", 0));
		RawHttp.Response response = this.kernel.get("/app/");
		assertThat(Backend.text(response.body())).isEqualTo("b");
	}

	@Test
	void serverErrorStatusIsPassedOnForUnsafeRequests() throws Exception {
		Backend failing = Backend.handling("x",
				(request, response) -> response.status(503).sendString(Mono.just("busy")));
		this.closing.add(failing);
		Backend b = backend("b");
		start(Map.of("servers", List.of(failing.url(), b.url()), "balancer", "first-alive", "max-fails", 0));
		try (RawHttp http = this.kernel.connect()) {
			RawHttp.Response response = http
				.exchange("POST /app/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\n\r\nx");
			assertThat(response.status()).isEqualTo(503);
		}
		assertThat(b.received).isEmpty();
	}

	@Test
	void locationHeaderIsRewrittenForThePublicHost() throws Exception {
		Backend a = Backend.handling("a",
				(request, response) -> response.status(302)
					.header("Location", "http://127.0.0.1:" + request.hostAddress().getPort() + "/login")
					.send());
		this.closing.add(a);
		start(Map.of("servers", List.of(a.url()), "strip-prefix", true));
		RawHttp.Response response = this.kernel.get("/app/");
		assertThat(response.status()).isEqualTo(302);
		assertThat(response.header("Location")).isEqualTo("http://localhost/app/login");
	}

	@Test
	void responseHeadersAreAddedAndRemoved() throws Exception {
		Backend a = Backend.handling("a",
				(request, response) -> response.header("Server", "backend/1.0").sendString(Mono.just("ok")));
		this.closing.add(a);
		start(Map.of("servers", List.of(a.url()), "response-headers",
				Map.of("add", Map.of("X-Frame-Options", "DENY"), "remove", List.of("Server"))));
		RawHttp.Response response = this.kernel.get("/app/");
		assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
		assertThat(response.header("Server")).isNotEqualTo("backend/1.0");
	}

}
