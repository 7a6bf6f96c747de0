package dev.capuchin.plugin.dirlisting.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.capuchin.plugin.dirlisting.ListingFormat;
import dev.capuchin.plugin.dirlisting.SortKey;
import dev.capuchin.plugin.dirlisting.SortOrder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unit tests for {@link ListingBody}: chunking and the three formats.
 */
class ListingBodyTests {

	private static final Theme THEME = Theme.builtIn("default");

	@Test
	void rowsGoOutAHundredPerChunkBetweenOpeningAndClosing() {
		List<String> chunks = render(ListingFormat.HTML, page("/", entries(250), false));
		assertThat(chunks).hasSize(5);
		assertThat(chunks.get(0)).startsWith("<!DOCTYPE html>").doesNotContain("<td");
		assertThat(chunks.get(1).split("<tr class=\"file\">", -1)).hasSize(101);
		assertThat(chunks.get(3).split("<tr class=\"file\">", -1)).hasSize(51);
		assertThat(chunks.get(4)).startsWith("</tbody>").endsWith("</html>\n");
	}

	@Test
	void emptyChunksAreNotSent() {
		List<String> chunks = render(ListingFormat.TEXT, page("/", entries(0), false));
		assertThat(chunks).isEmpty();
	}

	@Test
	void parentRowIsLeftOutAtTheRoot() {
		assertThat(render(ListingFormat.HTML, page("/", entries(1), false)).get(0)).doesNotContain("rel=\"up\"");
		assertThat(render(ListingFormat.HTML, page("/a b/c/", entries(1), false)).get(0))
			.contains("<a href=\"/a%20b/\" rel=\"up\">");
	}

	@Test
	void jsonIsOneArrayAcrossChunks() {
		String json = String.join("", render(ListingFormat.JSON, page("/d/", entries(150), false)));
		assertThat(json)
			.startsWith("[\n{\"name\":\"f000\",\"type\":\"file\",\"size\":0,"
					+ "\"modified\":\"1970-01-01T00:00:00Z\",\"href\":\"/d/f000\"},\n")
			.endsWith("\"href\":\"/d/f149\"}\n]\n");
		assertThat(json.split("\\{", -1)).hasSize(151);
	}

	@Test
	void truncatedNoteFollowsTheTable() {
		List<String> chunks = render(ListingFormat.HTML, page("/", entries(3), true));
		assertThat(chunks.get(chunks.size() - 1)).contains("Only the first 3 entries of this directory are listed.");
	}

	private static List<String> render(ListingFormat format, ListingPage page) {
		List<String> chunks = new ArrayList<>();
		for (ByteBuf chunk : ListingBody.render(format, page, UnpooledByteBufAllocator.DEFAULT).toIterable()) {
			chunks.add(chunk.toString(StandardCharsets.UTF_8));
			chunk.release();
		}
		return chunks;
	}

	private static ListingPage page(String path, List<Entry> entries, boolean truncated) {
		ListingRule rule = new ListingRule(true, THEME, List.of(), List.of(), false, SortKey.NAME, SortOrder.ASC,
				entries.size(), 1024);
		return new ListingPage(path, SortKey.NAME, SortOrder.ASC, new Listing(entries, truncated, null), rule);
	}

	private static List<Entry> entries(int count) {
		List<Entry> entries = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			entries.add(new Entry(String.format("f%03d", i), false, 0, 0));
		}
		return entries;
	}

}
