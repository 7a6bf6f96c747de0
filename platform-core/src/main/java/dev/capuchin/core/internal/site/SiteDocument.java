package dev.capuchin.core.internal.site;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The core keys of a site file as bound from YAML, before their values are checked and
 * resolved into a {@link dev.capuchin.core.spi.Site}. Keys are kebab-case; a key that is
 * not a core key is a plugin block and lands, free-form, in {@code plugins}. Absent keys
 * are {@code null}, so that the loader applies the defaults.
 *
 * @param name the site's identifier
 * @param serverNames the host names
 * @param isDefault whether unknown hosts go here
 * @param listen the {@code host:port} the site is bound to
 * @param documentRoot the document root, relative to the loader's base
 * @param indexFiles the index files
 * @param errorPages status to page
 * @param fdt whether the open-file table serves this site
 * @param followSymlinks whether paths may pass through symbolic links
 * @param hiddenFiles whether dot files are served
 * @param precompressed whether {@code .br}/{@code .gz} siblings are served
 * @param tls the site's certificate
 * @param locations the locations
 * @param hsts the {@code Strict-Transport-Security} policy
 * @param redirectHttps whether plain HTTP is redirected to HTTPS
 * @param headers the response headers the site adds and removes
 * @param plugins every other key: the plugin blocks
 */
record SiteDocument(String name, List<String> serverNames, @JsonProperty("default") Boolean isDefault, String listen,
		String documentRoot, List<String> indexFiles, Map<String, String> errorPages, Boolean fdt,
		Boolean followSymlinks, Boolean hiddenFiles, Boolean precompressed, TlsDocument tls,
		List<LocationDocument> locations, HstsDocument hsts, Boolean redirectHttps, HeadersDocument headers,
		@JsonAnySetter Map<String, Object> plugins) {

	/** The core keys, in the documented order. */
	static final List<String> KEYS = List.of("name", "server-names", "default", "listen", "document-root",
			"index-files", "error-pages", "fdt", "follow-symlinks", "hidden-files", "precompressed", "tls", "locations",
			"hsts", "redirect-https", "headers");

	/**
	 * The {@code tls} block.
	 *
	 * @param certificate the PEM certificate chain file
	 * @param privateKey the PKCS#8 PEM private key file
	 * @param acme whether an ACME CA issues the site's certificate
	 */
	record TlsDocument(String certificate, String privateKey, Boolean acme) {

	}

	/**
	 * The {@code hsts} block.
	 *
	 * @param maxAge seconds browsers keep to HTTPS
	 * @param includeSubdomains whether subdomains are covered
	 * @param preload whether the site asks for preload lists
	 */
	record HstsDocument(Long maxAge, Boolean includeSubdomains, Boolean preload) {

	}

	/**
	 * The {@code headers} block.
	 *
	 * @param add header name to value, replacing a header of that name
	 * @param remove header names removed from every answer
	 */
	record HeadersDocument(Map<String, String> add, List<String> remove) {

	}

	/**
	 * One entry of {@code locations}: a path prefix or a regular expression, and the
	 * plugin blocks that apply in it.
	 *
	 * @param path the path prefix
	 * @param match the regular expression
	 * @param plugins every other key: the plugin blocks
	 */
	record LocationDocument(String path, String match, @JsonAnySetter Map<String, Object> plugins) {

		/**
		 * The core keys of a location; {@code max-body-size} stays among the settings,
		 * where {@link dev.capuchin.core.spi.Location#maxBodySize} reads it.
		 */
		static final List<String> KEYS = List.of("path", "match", dev.capuchin.core.spi.Location.MAX_BODY_SIZE);

	}

}
