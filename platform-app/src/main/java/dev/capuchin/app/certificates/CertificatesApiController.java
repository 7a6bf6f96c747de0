package dev.capuchin.app.certificates;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.api.ApiException;
import dev.capuchin.app.shared.config.ConfigService;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * {@code /api/certificates}: every certificate the sites are served with ({@code GET}),
 * each with {@code site}, {@code names}, {@code source} ({@code acme} or {@code file}),
 * {@code issuer}, {@code serial}, {@code not-before}, {@code not-after},
 * {@code next-renewal}, {@code failures} and {@code last-error} (an ACME certificate not
 * issued yet is listed too, with its names, its next attempt and why the last one
 * failed); and the actions, each audited: {@code POST /<site>/order} and
 * {@code /<site>/renew} order now, {@code POST /<site>/revoke} revokes at the CA (a new
 * order follows), {@code POST /} with {@code site}, {@code certificate} and
 * {@code private-key} uploads a PEM pair, {@code DELETE /<site>} deletes an uploaded one;
 * {@code GET /account}, {@code PUT /account} with {@code email}, and
 * {@code POST /account/key-rollover} for the ACME account. Errors are {@code {"error":
 * "..."}} naming the field: 400, 404, 409, and 502 or 504 when the CA refuses or takes
 * too long.
 */
@RestController
@RequestMapping("/api/certificates")
class CertificatesApiController {

	private final ConfigService config;

	private final ObjectProvider<CertificateStore> store;

	private final ObjectProvider<CertificateActions> actions;

	CertificatesApiController(ConfigService config, ObjectProvider<CertificateStore> store,
			ObjectProvider<CertificateActions> actions) {
		this.config = config;
		this.store = store;
		this.actions = actions;
	}

	@GetMapping
	List<Map<String, Object>> list() {
		CertificateStore certificates = this.store.getIfAvailable();
		return CertificateViews.views(this.config.current().entries(),
				(certificates != null) ? certificates.all() : List.of());
	}

	@PostMapping
	ResponseEntity<Map<String, Object>> upload(@RequestBody UploadBody body, Principal principal) {
		if (body.site() == null || body.site().isBlank()) {
			throw ApiException.badRequest("site: missing (expected: the name of a site with tls: {acme: true})");
		}
		actions().upload(body.site(), body.certificate(), body.privateKey(), principal.getName());
		return ResponseEntity
			.created(URI.create("/api/certificates/" + UriUtils.encodePathSegment(body.site(), "UTF-8")))
			.body(view(body.site()));
	}

	@GetMapping("/{site}")
	Map<String, Object> get(@PathVariable String site) {
		return view(site);
	}

	@PostMapping("/{site}/order")
	Map<String, Object> order(@PathVariable String site, Principal principal) {
		actions().order(site, false, principal.getName());
		return view(site);
	}

	@PostMapping("/{site}/renew")
	Map<String, Object> renew(@PathVariable String site, Principal principal) {
		actions().order(site, true, principal.getName());
		return view(site);
	}

	@PostMapping("/{site}/revoke")
	Map<String, Object> revoke(@PathVariable String site, Principal principal) {
		actions().revoke(site, principal.getName());
		return view(site);
	}

	@DeleteMapping("/{site}")
	ResponseEntity<Void> delete(@PathVariable String site, Principal principal) {
		actions().delete(site, principal.getName());
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/account")
	CertificateActions.AccountView account() {
		return actions().account();
	}

	@PutMapping("/account")
	CertificateActions.AccountView email(@RequestBody AccountBody body, Principal principal) {
		return actions().email(body.email(), principal.getName());
	}

	@PostMapping("/account/key-rollover")
	CertificateActions.AccountView rollover(Principal principal) {
		return actions().rollover(principal.getName());
	}

	private Map<String, Object> view(String site) {
		return list().stream()
			.filter((view) -> site.equals(view.get("site")))
			.findFirst()
			.orElseThrow(() -> ApiException.notFound("certificate of site '" + site + "'"));
	}

	private CertificateActions actions() {
		CertificateActions available = this.actions.getIfAvailable();
		if (available == null) {
			throw ApiException.conflict("capuchin.acme.directory: not set (expected: the ACME CA's directory URL; "
					+ "certificates are ordered and uploaded only with a CA configured)");
		}
		return available;
	}

	/**
	 * An uploaded PEM pair.
	 *
	 * @param site the site it is for
	 * @param certificate the PEM chain, leaf first
	 * @param privateKey the PEM private key, unencrypted (it is stored encrypted)
	 */
	record UploadBody(@Nullable String site, @Nullable String certificate, @Nullable String privateKey) {
	}

	/**
	 * A change of the ACME account.
	 *
	 * @param email the new contact address
	 */
	record AccountBody(@Nullable String email) {
	}

}
