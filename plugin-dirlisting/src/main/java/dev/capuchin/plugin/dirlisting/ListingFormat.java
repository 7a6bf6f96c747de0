package dev.capuchin.plugin.dirlisting;

/**
 * The representations of a listing, chosen by the request's {@code Accept} header.
 */
public enum ListingFormat {

	/** An HTML page rendered from the site's theme. */
	HTML("text/html; charset=utf-8", "text", "html"),

	/** A JSON array of entries. */
	JSON("application/json", "application", "json"),

	/** One line per entry. */
	TEXT("text/plain; charset=utf-8", "text", "plain");

	private final String contentType;

	private final String type;

	private final String subtype;

	ListingFormat(String contentType, String type, String subtype) {
		this.contentType = contentType;
		this.type = type;
		this.subtype = subtype;
	}

	/**
	 * The {@code Content-Type} the format is sent with.
	 * @return the content type
	 */
	public String contentType() {
		return this.contentType;
	}

	/**
	 * The format a client prefers: the one whose media type the {@code Accept} header
	 * gives the highest quality (an exact type before {@code type/*} before
	 * {@code *}{@code /*}), HTML on a tie, and HTML when the header is absent or accepts
	 * none of them.
	 * @param accept the {@code Accept} header, or {@code null}
	 * @return the format
	 */
	public static ListingFormat negotiate(String accept) {
		if (accept == null || accept.isBlank()) {
			return HTML;
		}
		ListingFormat best = HTML;
		double bestQuality = 0;
		for (ListingFormat format : values()) {
			double quality = format.quality(accept);
			if (quality > bestQuality) {
				best = format;
				bestQuality = quality;
			}
		}
		return best;
	}

	/** The quality the header gives this format, from its most specific range. */
	private double quality(String accept) {
		int bestSpecificity = -1;
		double quality = 0;
		for (String range : accept.split(",")) {
			String[] parameters = range.split(";");
			String mediaType = parameters[0].trim();
			int slash = mediaType.indexOf('/');
			if (slash < 0) {
				continue;
			}
			String rangeType = mediaType.substring(0, slash).trim();
			String rangeSubtype = mediaType.substring(slash + 1).trim();
			int specificity;
			if (rangeType.equalsIgnoreCase(this.type) && rangeSubtype.equalsIgnoreCase(this.subtype)) {
				specificity = 2;
			}
			else if (rangeType.equalsIgnoreCase(this.type) && rangeSubtype.equals("*")) {
				specificity = 1;
			}
			else if (rangeType.equals("*") && rangeSubtype.equals("*")) {
				specificity = 0;
			}
			else {
				continue;
			}
			if (specificity > bestSpecificity) {
				bestSpecificity = specificity;
				quality = qualityOf(parameters);
			}
		}
		return quality;
	}

	private static double qualityOf(String[] parameters) {
		for (int i = 1; i < parameters.length; i++) {
			String parameter = parameters[i].trim();
			if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
					&& parameter.charAt(1) == '=') {
				try {
					double q = Double.parseDouble(parameter.substring(2).trim());
					return (q >= 0 && q <= 1) ? q : 0;
				}
				catch (NumberFormatException ex) {
					return 0;
				}
			}
		}
		return 1;
	}

}
