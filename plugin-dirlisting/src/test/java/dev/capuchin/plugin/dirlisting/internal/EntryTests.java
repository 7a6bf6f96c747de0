package dev.capuchin.plugin.dirlisting.internal;

import java.util.ArrayList;
import java.util.List;

import dev.capuchin.plugin.dirlisting.SortKey;
import dev.capuchin.plugin.dirlisting.SortOrder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link Entry#comparator(SortKey, SortOrder)}.
 */
class EntryTests {

	private static final List<Entry> ENTRIES = List.of(new Entry("b.txt", false, 300, 1000),
			new Entry("A.txt", false, 100, 3000), new Entry("zdir", true, 0, 500), new Entry("a.txt", false, 200, 2000),
			new Entry("adir", true, 0, 4000));

	@Test
	void nameAscendingIgnoresCaseWithDirectoriesFirst() {
		assertThat(sorted(SortKey.NAME, SortOrder.ASC)).containsExactly("adir", "zdir", "A.txt", "a.txt", "b.txt");
	}

	@Test
	void nameDescendingKeepsDirectoriesFirst() {
		assertThat(sorted(SortKey.NAME, SortOrder.DESC)).containsExactly("zdir", "adir", "b.txt", "a.txt", "A.txt");
	}

	@Test
	void sizeSortsFilesAndLeavesDirectoriesByName() {
		assertThat(sorted(SortKey.SIZE, SortOrder.ASC)).containsExactly("adir", "zdir", "A.txt", "a.txt", "b.txt");
		assertThat(sorted(SortKey.SIZE, SortOrder.DESC)).containsExactly("adir", "zdir", "b.txt", "a.txt", "A.txt");
	}

	@Test
	void timeSortsByModification() {
		assertThat(sorted(SortKey.TIME, SortOrder.ASC)).containsExactly("zdir", "adir", "b.txt", "a.txt", "A.txt");
		assertThat(sorted(SortKey.TIME, SortOrder.DESC)).containsExactly("adir", "zdir", "A.txt", "a.txt", "b.txt");
	}

	private static List<String> sorted(SortKey key, SortOrder order) {
		List<Entry> entries = new ArrayList<>(ENTRIES);
		entries.sort(Entry.comparator(key, order));
		return entries.stream().map(Entry::name).toList();
	}

}
