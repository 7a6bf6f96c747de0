package dev.capuchin.core.spi;

import java.util.Objects;

/**
 * The key of a value a plugin keeps on a {@link ClientConnection}, such as the last
 * credential it verified there. A plugin creates its keys once (a constant or a field set
 * in its constructor) and uses them on every connection:
 *
 * <pre class="code">
 * private static final ConnectionKey&lt;Memo&gt; MEMO = ConnectionKey.of("auth.bearer", Memo.class);
 * </pre>
 *
 * Keys are compared by identity: two keys of the same name are two different slots, so a
 * plugin cannot read or replace another's value by naming it.
 *
 * @param <T> the type of the values stored under the key
 */
public final class ConnectionKey<T> {

	private final String name;

	private final Class<T> type;

	private ConnectionKey(String name, Class<T> type) {
		this.name = name;
		this.type = type;
	}

	/**
	 * A new key.
	 * @param name a name for messages and debugging, such as {@code auth.bearer}
	 * @param type the type of the values
	 * @param <T> the type of the values
	 * @return the key, distinct from every other key
	 */
	public static <T> ConnectionKey<T> of(String name, Class<T> type) {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(type, "type");
		return new ConnectionKey<>(name, type);
	}

	/**
	 * The key's name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The type of the values stored under the key.
	 * @return the type
	 */
	public Class<T> type() {
		return this.type;
	}

	@Override
	public String toString() {
		return this.name + " (" + this.type.getSimpleName() + ")";
	}

}
