package dev.capuchin.plugin.dirlisting.internal;

import java.time.Instant;
import java.util.Collections;
import java.util.List;

import dev.capuchin.plugin.dirlisting.SortKey;
import dev.capuchin.plugin.dirlisting.SortOrder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link ListingPage}.
 */
class ListingPageTests {

	private static final long MODIFIED = Instant.parse("2024-01-02T03:04:05.678Z").toEpochMilli();

	@Test
	void hrefIsTheEncodedAbsolutePath() {
		ListingPage page = page("/my docs/", SortKey.NAME, SortOrder.ASC, 0);
		assertThat(page.href(new Entry("a b#?%.txt", false, 0, 0))).isEqualTo("/my%20docs/a%20b%23%3F%25.txt");
		assertThat(page.href(new Entry("été", true, 0, 0))).isEqualTo("/my%20docs/%C3%A9t%C3%A9/");
		assertThat(page.href(new Entry("a:b", false, 0, 0))).isEqualTo("/my%20docs/a:b");
	}

	@Test
	void parentOfTheRootIsNone() {
		assertThat(page("/", SortKey.NAME, SortOrder.ASC, 0).parentHref()).isNull();
		assertThat(page("/a/", SortKey.NAME, SortOrder.ASC, 0).parentHref()).isEqualTo("/");
		assertThat(page("/a/b c/", SortKey.NAME, SortOrder.ASC, 0).parentHref()).isEqualTo("/a/");
	}

	@Test
	void timesAreUtc() {
		Entry entry = new Entry("x", false, 0, MODIFIED);
		assertThat(ListingPage.modified(entry)).isEqualTo("2024-01-02T03:04:05Z");
		assertThat(ListingPage.modifiedText(entry)).isEqualTo("2024-01-02 03:04");
	}

	@Test
	void summaryCountsEntriesAndNamesTheSort() {
		assertThat(page("/", SortKey.TIME, SortOrder.DESC, 1).summary())
			.isEqualTo("1 entry, sorted by modification time, descending");
		assertThat(page("/", SortKey.NAME, SortOrder.ASC, 2).summary())
			.isEqualTo("2 entries, sorted by name, ascending");
	}

	@Test
	void sortLinksReverseTheCurrentColumnAndStartOthersAscending() {
		ListingPage page = page("/", SortKey.SIZE, SortOrder.ASC, 0);
		assertThat(page.sortHref(SortKey.SIZE)).isEqualTo("?sort=size&order=desc");
		assertThat(page.sortHref(SortKey.NAME)).isEqualTo("?sort=name&order=asc");
		assertThat(page.ariaSort(SortKey.SIZE)).isEqualTo("ascending");
		assertThat(page.ariaSort(SortKey.TIME)).isEqualTo("none");
	}

	private static ListingPage page(String path, SortKey sort, SortOrder order, int count) {
		List<Entry> entries = Collections.nCopies(count, new Entry("x", false, 0, 0));
		return new ListingPage(path, sort, order, new Listing(entries, false, null), null);
	}

}
