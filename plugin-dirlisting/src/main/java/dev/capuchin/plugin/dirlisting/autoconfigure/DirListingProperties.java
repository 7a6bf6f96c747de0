package dev.capuchin.plugin.dirlisting.autoconfigure;

import java.util.List;

import dev.capuchin.plugin.dirlisting.DirListingSettings;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code capuchin.plugins.dirlisting.*} configuration: the global defaults of
 * directory listings. Sites switch listings on with {@code dirlisting: true} (or a
 * mapping) in their site files, and inherit every value they do not set.
 *
 * @param enabled whether the plugin runs
 * @param theme the HTML theme: {@code default} (built in) or a theme directory, relative
 * to the working directory
 * @param hide glob patterns of entry names left out of every listing
 * @param readme whether a directory's README is shown below its listing
 * @param maxEntries the most entries one listing shows (bounds the memory one request can
 * take)
 * @param readmeMaxSize the most of a README shown
 * @param threads the threads that read directories off the event loops
 */
@ConfigurationProperties("capuchin.plugins.dirlisting")
public record DirListingProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue(DirListingSettings.DEFAULT_THEME) String theme, List<String> hide,
		@DefaultValue("false") boolean readme, @DefaultValue("100000") int maxEntries,
		@DefaultValue("64KB") DataSize readmeMaxSize, @DefaultValue("4") int threads) {

	private static final String PREFIX = "capuchin.plugins.dirlisting.";

	public DirListingProperties {
		hide = (hide != null) ? List.copyOf(hide) : List.of();
		toSettings(theme, hide, readme, maxEntries, readmeMaxSize, threads);
	}

	/**
	 * The plugin's settings.
	 * @return the settings
	 * @throws IllegalArgumentException naming the key of an invalid value
	 */
	public DirListingSettings toSettings() {
		return toSettings(this.theme, this.hide, this.readme, this.maxEntries, this.readmeMaxSize, this.threads);
	}

	private static DirListingSettings toSettings(String theme, List<String> hide, boolean readme, int maxEntries,
			DataSize readmeMaxSize, int threads) {
		if (readmeMaxSize.toBytes() < 1 || readmeMaxSize.toBytes() > 16 * 1024 * 1024) {
			throw new IllegalArgumentException(PREFIX + "readme-max-size: " + readmeMaxSize + " (expected: 1B..16MB)");
		}
		try {
			return new DirListingSettings(theme, hide, readme, maxEntries, (int) readmeMaxSize.toBytes(), threads);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(PREFIX + ex.getMessage(), ex);
		}
	}

}
