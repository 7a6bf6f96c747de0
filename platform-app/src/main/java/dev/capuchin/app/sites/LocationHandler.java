package dev.capuchin.app.sites;

/**
 * What answers the requests of a location, as the location form offers it: one of the
 * {@code HANDLE} plugins, or the kernel's static files.
 */
public enum LocationHandler {

	/** The kernel's static files, with the site's own settings: no handler block. */
	STATIC(null, "Static files"),

	/** The dirlisting plugin lists directories that have no index file. */
	DIRLISTING(HandlerBlocks.DIRLISTING, "Directory listing"),

	/** The cgi plugin runs CGI programs. */
	CGI(HandlerBlocks.CGI, "CGI"),

	/** The fastcgi plugin passes requests to a FastCGI application server. */
	FASTCGI(HandlerBlocks.FASTCGI, "FastCGI"),

	/** The proxy plugin passes requests to an upstream or a list of servers. */
	PROXY(HandlerBlocks.PROXY, "Proxy");

	private final String plugin;

	private final String label;

	LocationHandler(String plugin, String label) {
		this.plugin = plugin;
		this.label = label;
	}

	/**
	 * The plugin's name, which is also the key of its location block.
	 * @return the name, or {@code null} for static files
	 */
	public String plugin() {
		return this.plugin;
	}

	/**
	 * The name the form shows.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	/**
	 * The value of the form's select.
	 * @return the lower-case name
	 */
	public String key() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	/**
	 * The handler of a select value.
	 * @param key the value, such as {@code proxy}
	 * @return the handler, or {@code null} when none has that key
	 */
	public static LocationHandler fromKey(String key) {
		for (LocationHandler handler : values()) {
			if (handler.key().equals(key)) {
				return handler;
			}
		}
		return null;
	}

}
