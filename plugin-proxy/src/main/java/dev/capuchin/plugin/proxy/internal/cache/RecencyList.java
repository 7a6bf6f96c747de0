package dev.capuchin.plugin.proxy.internal.cache;

import org.jspecify.annotations.Nullable;

/**
 * One tier's entries from the most to the least recently used, with the bytes and count
 * they take: a doubly linked list through the entries themselves, guarded by the zone's
 * lock.
 */
final class RecencyList {

	private @Nullable CacheEntry head;

	private @Nullable CacheEntry tail;

	long bytes;

	int entries;

	void linkFirst(CacheEntry entry) {
		entry.older = this.head;
		entry.newer = null;
		if (this.head != null) {
			this.head.newer = entry;
		}
		this.head = entry;
		if (this.tail == null) {
			this.tail = entry;
		}
		account(entry, 1);
	}

	void linkLast(CacheEntry entry) {
		entry.newer = this.tail;
		entry.older = null;
		if (this.tail != null) {
			this.tail.older = entry;
		}
		this.tail = entry;
		if (this.head == null) {
			this.head = entry;
		}
		account(entry, 1);
	}

	void unlink(CacheEntry entry) {
		if (entry.newer != null) {
			entry.newer.older = entry.older;
		}
		else if (this.head == entry) {
			this.head = entry.older;
		}
		if (entry.older != null) {
			entry.older.newer = entry.newer;
		}
		else if (this.tail == entry) {
			this.tail = entry.newer;
		}
		entry.newer = null;
		entry.older = null;
		account(entry, -1);
	}

	/** Make an entry of this list the most recently used. */
	void touch(CacheEntry entry) {
		unlink(entry);
		linkFirst(entry);
	}

	@Nullable CacheEntry mostRecent() {
		return this.head;
	}

	@Nullable CacheEntry leastRecent() {
		return this.tail;
	}

	private void account(CacheEntry entry, int sign) {
		this.bytes += sign * entry.cost;
		this.entries += sign;
	}

}
