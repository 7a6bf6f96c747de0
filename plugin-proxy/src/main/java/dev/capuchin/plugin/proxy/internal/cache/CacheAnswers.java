package dev.capuchin.plugin.proxy.internal.cache;

import java.io.IOException;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.proxy.CacheResult;
import dev.capuchin.plugin.proxy.ProxyListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * What every part of the cache does with a result: counts it in the zone, tells the
 * listener (metrics), and answers from an entry with its {@code Cache-Status}, opening
 * the file of an entry on disk first.
 */
final class CacheAnswers {

	private static final Logger logger = LoggerFactory.getLogger(CacheAnswers.class);

	private final ProxyListener listener;

	private final DiskFiles files = new DiskFiles();

	CacheAnswers(ProxyListener listener) {
		this.listener = listener;
	}

	/**
	 * Answer from an entry, counted.
	 * @return the answer, or {@code null} when the entry's file turned out gone or cut
	 * short: the entry is dropped, its file deleted and counted, and the caller answers
	 * as if there were no entry
	 */
	@Nullable Mono<Void> serve(Exchange exchange, CacheZone zone, CacheEntry entry, CacheResult result, String status) {
		DiskFiles.Body file = null;
		if (entry.file != null) {
			try {
				file = this.files.open(exchange, entry.file);
			}
			catch (IOException ex) {
				zone.corrupt(entry, ex.getMessage());
				return null;
			}
		}
		record(zone, result);
		return EntryAnswer.send(exchange, entry, file, name(zone) + "; " + status, zone.clock().millis());
	}

	/** Let go of the open files. */
	void close() {
		this.files.close();
	}

	void record(CacheZone zone, CacheResult result) {
		zone.count(result);
		try {
			this.listener.onCache(zone.settings().name(), result);
		}
		catch (RuntimeException ex) {
			logger.warn("proxy listener failed: {}", ex.toString());
		}
	}

	static long ttl(CacheEntry.Meta meta, long now) {
		return Math.floorDiv(meta.lifetime() - meta.age(now), 1000);
	}

	static String name(CacheZone zone) {
		return "capuchin/" + zone.settings().name();
	}

}
