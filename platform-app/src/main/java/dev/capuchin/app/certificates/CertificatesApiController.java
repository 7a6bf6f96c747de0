package dev.capuchin.app.certificates;

import java.util.List;
import java.util.Map;

import dev.capuchin.app.shared.config.ConfigService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/certificates}: every certificate the sites are served with, each with
 * {@code site}, {@code names}, {@code source} ({@code acme} or {@code file}),
 * {@code issuer}, {@code serial}, {@code not-before}, {@code not-after},
 * {@code next-renewal}, {@code failures} and {@code last-error}. An ACME certificate not
 * issued yet is listed too, with its names, its next attempt and why the last one failed.
 */
@RestController
@RequestMapping("/api/certificates")
class CertificatesApiController {

	private final ConfigService config;

	private final ObjectProvider<CertificateStore> store;

	CertificatesApiController(ConfigService config, ObjectProvider<CertificateStore> store) {
		this.config = config;
		this.store = store;
	}

	@GetMapping
	List<Map<String, Object>> list() {
		CertificateStore certificates = this.store.getIfAvailable();
		return CertificateViews.views(this.config.current().entries(),
				(certificates != null) ? certificates.all() : List.of());
	}

}
