package dev.capuchin.plugin.mandril;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ListenerRulesTests {

	@Test
	void rulesApplyToConnectionsOnTheListenersAddressAndPort() {
		ListenerRules rules = new ListenerRules(new InetSocketAddress("127.0.0.1", 2001), IpRules.NONE);
		assertThat(rules.appliesTo(new InetSocketAddress("127.0.0.1", 2001), null)).isTrue();
		assertThat(rules.appliesTo(new InetSocketAddress("127.0.0.1", 2002), null)).isFalse();
		assertThat(rules.appliesTo(new InetSocketAddress("127.0.0.2", 2001), null)).isFalse();
	}

	@Test
	void aWildcardListenerCoversEveryLocalAddressOnItsPort() {
		ListenerRules rules = new ListenerRules(new InetSocketAddress(2001), IpRules.NONE);
		assertThat(rules.appliesTo(new InetSocketAddress("127.0.0.2", 2001), null)).isTrue();
		assertThat(rules.appliesTo(new InetSocketAddress("::1", 2001), null)).isTrue();
		assertThat(rules.appliesTo(new InetSocketAddress("127.0.0.1", 2002), null)).isFalse();
	}

	@Test
	void theConfiguredListenerAddressAlsoCounts() {
		ListenerRules rules = new ListenerRules(new InetSocketAddress("0.0.0.0", 2001), IpRules.NONE);
		assertThat(rules.appliesTo(new InetSocketAddress("192.0.2.1", 40000), new InetSocketAddress("0.0.0.0", 2001)))
			.isTrue();
	}

}
