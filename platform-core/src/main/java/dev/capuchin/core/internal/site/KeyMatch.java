package dev.capuchin.core.internal.site;

import java.util.Locale;

/**
 * Tells a mistyped core key from a plugin's key. Plugin blocks sit beside the core keys,
 * so an unknown key cannot be refused for being unknown; one that differs from a core key
 * only in case and separators, or by one letter, is a typo that would otherwise be
 * ignored silently.
 */
final class KeyMatch {

	private KeyMatch() {
	}

	/**
	 * Whether a key is a near miss of a core key, but not the key itself.
	 * @param key the key found
	 * @param coreKey a core key
	 * @return {@code true} for a likely typo of {@code coreKey}
	 */
	static boolean isNearMiss(String key, String coreKey) {
		if (key.equals(coreKey)) {
			return false;
		}
		if (squeeze(key).equals(squeeze(coreKey))) {
			return true;
		}
		return editDistanceIsOne(key, coreKey);
	}

	private static String squeeze(String key) {
		return key.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
	}

	private static boolean editDistanceIsOne(String a, String b) {
		if (Math.abs(a.length() - b.length()) > 1) {
			return false;
		}
		String shorter = (a.length() <= b.length()) ? a : b;
		String longer = (shorter == a) ? b : a;
		int i = 0;
		while (i < shorter.length() && shorter.charAt(i) == longer.charAt(i)) {
			i++;
		}
		if (shorter.length() == longer.length()) {
			// one substitution: the rest is equal
			return shorter.substring(i + 1).equals(longer.substring(i + 1));
		}
		// one insertion into the shorter key
		return shorter.substring(i).equals(longer.substring(i + 1));
	}

}
