package dev.capuchin.plugin.mandril.autoconfigure;

import java.util.ArrayList;
import java.util.List;

/**
 * The plugin's global rules as a page of the control plane shows them: each
 * {@code capuchin.plugins.mandril.*} property with its value and what it does, so that
 * the page need not know the plugin's property names. The rows come from the bound
 * properties, in the order the plugin applies them.
 */
public final class MandrilPropertyRows {

	private static final String PREFIX = "capuchin.plugins.mandril.";

	private MandrilPropertyRows() {
	}

	/**
	 * The rows of bound properties.
	 * @param properties the properties
	 * @return one row per property, listeners in their order
	 */
	public static List<Row> of(MandrilProperties properties) {
		List<Row> rows = new ArrayList<>();
		rows.add(new Row(PREFIX + "ip.allow", list(properties.ip().allow()),
				"Only these clients may connect at all; empty for every address."));
		rows.add(new Row(PREFIX + "ip.deny", list(properties.ip().deny()),
				"These clients are closed before a byte is read, on every site."));
		for (int i = 0; i < properties.listeners().size(); i++) {
			MandrilProperties.Listener listener = properties.listeners().get(i);
			String key = PREFIX + "listeners[" + i + "]";
			rows.add(new Row(key + ".address", String.valueOf(listener.address()),
					"The listener the two rules below apply to."));
			rows.add(new Row(key + ".ip.allow", list(listener.ip().allow()),
					"Only these clients may connect to that listener."));
			rows.add(new Row(key + ".ip.deny", list(listener.ip().deny()),
					"These clients may not connect to that listener."));
		}
		rows.add(new Row(PREFIX + "trusted-proxies", list(properties.trustedProxies()),
				"Proxies whose Forwarded and X-Forwarded-For headers name the real client."));
		rows.add(new Row(PREFIX + "max-connections-per-ip", number(properties.maxConnectionsPerIp()),
				"Open connections one client address may hold; 0 for no limit."));
		rows.add(new Row(PREFIX + "rate.requests-per-second", number(properties.rate().requestsPerSecond()),
				"Requests per second one client may send on all sites together (429 beyond); 0 for no limit."));
		rows.add(new Row(PREFIX + "rate.burst", number(properties.rate().burst()),
				"Requests a client may send at once; 0 for the rate rounded up."));
		rows.add(new Row(PREFIX + "rate.max-clients", number(properties.rate().maxClients()),
				"Client addresses whose rate state is kept."));
		if (properties.monkeyConfig() != null) {
			rows.add(new Row(PREFIX + "monkey-config", properties.monkeyConfig().toString(),
					"A Monkey mandril.conf whose rules are added to the global rules at start."));
		}
		return rows;
	}

	private static String list(List<String> values) {
		return values.isEmpty() ? "none" : String.join(", ", values);
	}

	private static String number(double value) {
		return (value == Math.rint(value)) ? Long.toString((long) value) : Double.toString(value);
	}

	/**
	 * One property.
	 *
	 * @param property its name
	 * @param value its value
	 * @param meaning what it does
	 */
	public record Row(String property, String value, String meaning) {
	}

}
