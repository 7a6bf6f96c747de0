package dev.capuchin.plugin.proxy.internal.cache;

import dev.capuchin.core.spi.Exchange;
import dev.capuchin.plugin.proxy.CacheResult;
import dev.capuchin.plugin.proxy.ProxyListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * What every part of the cache does with a result: counts it in the zone, tells the
 * listener (metrics), and answers from an entry with its {@code Cache-Status}.
 */
final class CacheAnswers {

	private static final Logger logger = LoggerFactory.getLogger(CacheAnswers.class);

	private final ProxyListener listener;

	CacheAnswers(ProxyListener listener) {
		this.listener = listener;
	}

	/** Answer from an entry, counted. */
	Mono<Void> serve(Exchange exchange, CacheZone zone, CacheEntry entry, CacheResult result, String status) {
		record(zone, result);
		return EntryAnswer.send(exchange, entry, name(zone) + "; " + status, zone.clock().millis());
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
