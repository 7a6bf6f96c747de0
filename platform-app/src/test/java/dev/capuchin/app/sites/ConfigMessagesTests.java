package dev.capuchin.app.sites;

import java.util.Map;
import java.util.Set;

import dev.capuchin.app.shared.console.FormErrors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigMessagesTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "site shop: document-root: /x (expected: an existing directory)|documentRoot",
			"document-root: missing (expected: a directory)|documentRoot",
			"site shop: server-names: 'a.test' is already served by site blog|serverNames",
			"site shop: default: site blog is the default already|isDefault",
			"listen: 'x' (expected: host:port)|listen", "index-files: '../x' (expected: a plain file name)|indexFiles",
			"error-pages.404: 'x' (expected: a path under the document root, starting with /)|errorPages",
			"tls: both 'certificate' and 'private-key' are required|tlsCertificate",
			"site shop: name: duplicate site name|name",
			"plugin mandril: site shop: mandril.deny: 'x' (expected: an address or CIDR block)|settings" })
	void aSiteRefusalGoesBesideTheFieldItNames(String message, String field) {
		FormErrors errors = new FormErrors();
		ConfigMessages.toSiteForm(message, Set.of("mandril"), errors);
		assertThat(errors.has(field)).as(message).isTrue();
		assertThat(errors.global()).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "sites: none configured (expected: at least one site)",
					"plugin mandril: site shop: locations[0].mandril.deny: 'x'",
					"plugin other: site shop: something went wrong" })
	void aRefusalThatNamesNoFieldOfTheFormGoesToTheTop(String message) {
		FormErrors errors = new FormErrors();
		ConfigMessages.toSiteForm(message, Set.of("mandril"), errors);
		assertThat(errors.global()).hasSize(1);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "locations[2].match: '(' is not a valid regular expression|2|value",
					"site shop: locations[2]: exactly one of 'path' or 'match' is required|2|value",
					"plugin mandril: site shop: locations[2].mandril.deny: 'x'|2|settings" })
	void aLocationRefusalGoesBesideTheFieldOfTheLocationBeingEdited(String message, int index, String field) {
		FormErrors errors = new FormErrors();
		ConfigMessages.toLocationForm(message, index, errors);
		assertThat(errors.has(field)).isTrue();
		FormErrors other = new FormErrors();
		ConfigMessages.toLocationForm(message, index + 1, other);
		assertThat(other.global()).hasSize(1);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "site shop: document-root: /x|document-root: /x",
			"plugin mandril: site shop: mandril.deny: 'x'|plugin mandril: mandril.deny: 'x'" })
	void theSiteNameIsLeftOutOfTheMessageOnItsOwnPage(String message, String shown) {
		FormErrors errors = new FormErrors();
		ConfigMessages.toSiteForm(message, Set.of("mandril"), errors);
		assertThat(errors.get(message.contains("mandril") ? "settings" : "documentRoot")).isEqualTo(shown);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"plugin proxy: site shop: locations[2].proxy.balancer: 'fastest' (expected: one of naive, first-alive)|proxyBalancer",
			"plugin proxy: site shop: locations[2].proxy.servers[1]: 'x' (expected: an http or https URL)|proxyServers",
			"plugin proxy: site shop: locations[2].proxy: neither servers nor upstream|handler",
			"plugin proxy: site shop: locations[2].proxy.retries: -1 (expected: >= 0)|settings",
			"plugin proxy: site shop: locations[2].proxy.upstream: 'api' (expected: a stored upstream)|settings" })
	void aHandlerRefusalGoesBesideTheFieldThatHoldsTheKey(String message, String field) {
		FormErrors errors = new FormErrors();
		Map<String, String> fields = Map.of("proxy", "handler", "proxy.balancer", "proxyBalancer", "proxy.servers",
				"proxyServers");
		ConfigMessages.toLocationForm(message, 2, fields, errors);
		assertThat(errors.has(field)).as(message).isTrue();
		assertThat(errors.global()).isEmpty();
	}

}
