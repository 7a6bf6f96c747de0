package dev.capuchin.plugin.dirlisting.internal;

import java.util.List;
import java.util.function.Function;

import dev.capuchin.plugin.dirlisting.ListingFormat;
import dev.capuchin.plugin.dirlisting.SortKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import reactor.core.publisher.Flux;

/**
 * A listing's response body as a stream of chunks: the opening, the rows
 * {@value #ROWS_PER_CHUNK} at a time, and the closing. Each chunk is rendered only when
 * the connection asks for it, so a page of 100,000 rows is never held in memory whole.
 */
public final class ListingBody {

	/** Rows rendered into one chunk. */
	public static final int ROWS_PER_CHUNK = 100;

	private ListingBody() {
	}

	/**
	 * The body of a listing.
	 * @param format the representation
	 * @param page what the listing shows
	 * @param allocator the connection's allocator
	 * @return the chunks
	 */
	public static Flux<ByteBuf> render(ListingFormat format, ListingPage page, ByteBufAllocator allocator) {
		Pieces pieces = switch (format) {
			case HTML -> new HtmlPieces(page);
			case JSON -> new JsonPieces(page);
			case TEXT -> new TextPieces(page);
		};
		List<Entry> entries = page.listing().entries();
		int chunks = (entries.size() + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
		// an empty chunk would read as the end of a chunked body: none is sent
		return Flux.range(0, chunks + 2).map((index) -> {
			StringBuilder text = new StringBuilder(8192);
			if (index == 0) {
				pieces.open(text);
			}
			else if (index <= chunks) {
				int from = (index - 1) * ROWS_PER_CHUNK;
				int to = Math.min(from + ROWS_PER_CHUNK, entries.size());
				for (int i = from; i < to; i++) {
					pieces.row(i, entries.get(i), text);
				}
			}
			else {
				pieces.close(text);
			}
			return text;
		}).filter((text) -> text.length() > 0).map((text) -> ByteBufUtil.writeUtf8(allocator, text));
	}

	/** The three kinds of piece one format renders. */
	private interface Pieces {

		void open(StringBuilder out);

		void row(int index, Entry entry, StringBuilder out);

		void close(StringBuilder out);

	}

	/** The HTML page, from the rule's theme. */
	private static final class HtmlPieces implements Pieces {

		private final ListingPage page;

		private final Theme theme;

		private final Function<String, String> pageValues;

		HtmlPieces(ListingPage page) {
			this.page = page;
			this.theme = page.rule().theme();
			this.pageValues = this::pageValue;
		}

		@Override
		public void open(StringBuilder out) {
			this.theme.part(Theme.Part.HEADER).render(this.pageValues, out);
			String parent = this.page.parentHref();
			if (parent != null) {
				this.theme.part(Theme.Part.PARENT)
					.render((name) -> name.equals("href") ? parent : pageValue(name), out);
			}
		}

		@Override
		public void row(int index, Entry entry, StringBuilder out) {
			this.theme.part(Theme.Part.ENTRY).render((name) -> switch (name) {
				case "name" -> entry.name();
				case "label" -> entry.directory() ? entry.name() + "/" : entry.name();
				case "href" -> this.page.href(entry);
				case "type" -> entry.directory() ? "directory" : "file";
				case "size" -> entry.directory() ? "\u2014" : HumanSize.format(entry.size());
				case "bytes" -> entry.directory() ? "" : Long.toString(entry.size());
				case "modified" -> ListingPage.modified(entry);
				case "modified-text" -> ListingPage.modifiedText(entry);
				case "modified-date" -> ListingPage.modifiedText(entry).substring(0, 10);
				case "modified-time" -> ListingPage.modifiedText(entry).substring(11);
				default -> pageValue(name);
			}, out);
		}

		@Override
		public void close(StringBuilder out) {
			this.theme.part(Theme.Part.FOOTER).render(this.pageValues, out);
			Listing listing = this.page.listing();
			if (listing.truncated()) {
				String max = Integer.toString(this.page.rule().maxEntries());
				this.theme.part(Theme.Part.TRUNCATED)
					.render((name) -> name.equals("max-entries") ? max : pageValue(name), out);
			}
			Listing.Readme readme = listing.readme();
			if (readme != null) {
				String content = readme.cut() ? readme.text() + "\n\u2026" : readme.text();
				this.theme.part(Theme.Part.README).render((name) -> switch (name) {
					case "name" -> readme.name();
					case "content" -> content;
					default -> pageValue(name);
				}, out);
			}
			this.theme.part(Theme.Part.END).render(this.pageValues, out);
		}

		private String pageValue(String name) {
			return switch (name) {
				case "title" -> "Index of " + this.page.path();
				case "path" -> this.page.path();
				case "summary" -> this.page.summary();
				case "count" -> Integer.toString(this.page.listing().entries().size());
				case "sort" -> this.page.sort().value();
				case "order" -> this.page.order().value();
				case "sort-name-href" -> this.page.sortHref(SortKey.NAME);
				case "sort-size-href" -> this.page.sortHref(SortKey.SIZE);
				case "sort-time-href" -> this.page.sortHref(SortKey.TIME);
				case "aria-sort-name" -> this.page.ariaSort(SortKey.NAME);
				case "aria-sort-size" -> this.page.ariaSort(SortKey.SIZE);
				case "aria-sort-time" -> this.page.ariaSort(SortKey.TIME);
				default -> null;
			};
		}

	}

	/**
	 * A JSON array of objects with {@code name}, {@code type}, {@code size} (bytes, or
	 * {@code null} for a directory), {@code modified} and {@code href}.
	 */
	private static final class JsonPieces implements Pieces {

		private final ListingPage page;

		JsonPieces(ListingPage page) {
			this.page = page;
		}

		@Override
		public void open(StringBuilder out) {
			out.append('[');
		}

		@Override
		public void row(int index, Entry entry, StringBuilder out) {
			out.append((index == 0) ? "\n" : ",\n").append("{\"name\":");
			Escape.json(entry.name(), out);
			out.append(",\"type\":").append(entry.directory() ? "\"directory\"" : "\"file\"");
			out.append(",\"size\":").append(entry.directory() ? "null" : Long.toString(entry.size()));
			out.append(",\"modified\":\"").append(ListingPage.modified(entry)).append('"');
			out.append(",\"href\":");
			Escape.json(this.page.href(entry), out);
			out.append('}');
		}

		@Override
		public void close(StringBuilder out) {
			out.append(this.page.listing().entries().isEmpty() ? "]\n" : "\n]\n");
		}

	}

	/**
	 * One line per entry: modification time, size and name (a directory's with a slash),
	 * and a closing note when the listing was cut.
	 */
	private static final class TextPieces implements Pieces {

		private final ListingPage page;

		TextPieces(ListingPage page) {
			this.page = page;
		}

		@Override
		public void open(StringBuilder out) {
		}

		@Override
		public void row(int index, Entry entry, StringBuilder out) {
			out.append(ListingPage.modified(entry)).append("  ");
			String size = entry.directory() ? "-" : HumanSize.format(entry.size());
			out.append(" ".repeat(Math.max(0, 10 - size.length()))).append(size).append("  ");
			Escape.text(entry.name(), out);
			if (entry.directory()) {
				out.append('/');
			}
			out.append('\n');
		}

		@Override
		public void close(StringBuilder out) {
			if (this.page.listing().truncated()) {
				out.append("# listing truncated at ").append(this.page.rule().maxEntries()).append(" entries\n");
			}
		}

	}

}
