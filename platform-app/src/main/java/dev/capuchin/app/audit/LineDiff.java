package dev.capuchin.app.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.Patch;

/**
 * A line difference of two texts (YAML of a site before and after a change), as rows to
 * show: changed lines with a few lines of context around them, and gaps where unchanged
 * lines were left out. Myers' algorithm (java-diff-utils) keeps large documents cheap.
 */
public final class LineDiff {

	/** Unchanged lines shown around each change. */
	public static final int CONTEXT = 3;

	/** Folded lines a gap keeps to show when opened; the rest stays folded. */
	public static final int MAX_FOLDED = 200;

	/** Rows shown at most; the rest is summarized in one gap row. */
	public static final int MAX_ROWS = 2000;

	private LineDiff() {
	}

	/**
	 * Compare two texts line by line.
	 * @param before the old text, or {@code null} when there was none
	 * @param after the new text, or {@code null} when there is none
	 * @return the rows, in order
	 */
	public static List<Row> between(String before, String after) {
		List<String> old = lines(before);
		List<String> now = lines(after);
		Patch<String> patch = DiffUtils.diff(old, now);
		List<Row> all = new ArrayList<>();
		int oldLine = 0;
		int newLine = 0;
		for (AbstractDelta<String> delta : patch.getDeltas()) {
			int start = delta.getSource().getPosition();
			while (oldLine < start) {
				all.add(new Row(Kind.SAME, oldLine + 1, newLine + 1, old.get(oldLine)));
				oldLine++;
				newLine++;
			}
			for (String line : delta.getSource().getLines()) {
				all.add(new Row(Kind.REMOVED, ++oldLine, 0, line));
			}
			for (String line : delta.getTarget().getLines()) {
				all.add(new Row(Kind.ADDED, 0, ++newLine, line));
			}
		}
		while (oldLine < old.size()) {
			all.add(new Row(Kind.SAME, oldLine + 1, newLine + 1, old.get(oldLine)));
			oldLine++;
			newLine++;
		}
		return limit(withContext(all));
	}

	private static List<Row> withContext(List<Row> all) {
		boolean[] keep = new boolean[all.size()];
		for (int i = 0; i < all.size(); i++) {
			if (all.get(i).kind() != Kind.SAME) {
				for (int j = Math.max(0, i - CONTEXT); j <= Math.min(all.size() - 1, i + CONTEXT); j++) {
					keep[j] = true;
				}
			}
		}
		List<Row> rows = new ArrayList<>();
		int skipped = 0;
		for (int i = 0; i < all.size(); i++) {
			if (keep[i]) {
				if (skipped > 0) {
					rows.add(gap(all, i - skipped, i));
					skipped = 0;
				}
				rows.add(all.get(i));
			}
			else {
				skipped++;
			}
		}
		if (skipped > 0) {
			rows.add(gap(all, all.size() - skipped, all.size()));
		}
		return rows;
	}

	/**
	 * A gap for the unchanged rows {@code from} (inclusive) to {@code to} (exclusive): it
	 * names the block its first line belongs to (the nearest line above with less
	 * indentation) and keeps up to {@link #MAX_FOLDED} of its lines, so that the page can
	 * open it.
	 */
	private static Row gap(List<Row> all, int from, int to) {
		int indent = indent(all.get(from).text());
		String parent = null;
		for (int i = from - 1; i >= 0 && indent > 0; i--) {
			String text = all.get(i).text();
			if (!text.isBlank() && indent(text) < indent) {
				parent = text.trim();
				break;
			}
		}
		List<String> folded = new ArrayList<>();
		for (int i = from; i < to && folded.size() < MAX_FOLDED; i++) {
			folded.add(all.get(i).text());
		}
		int lines = to - from;
		return new Row(Kind.GAP, 0, 0, lines + ((lines == 1) ? " unchanged line" : " unchanged lines"), parent, folded,
				all.get(from).oldLine());
	}

	private static int indent(String line) {
		int i = 0;
		while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '-')) {
			i++;
		}
		return i;
	}

	private static List<Row> limit(List<Row> rows) {
		if (rows.size() <= MAX_ROWS) {
			return rows;
		}
		List<Row> shown = new ArrayList<>(rows.subList(0, MAX_ROWS));
		int rest = rows.size() - MAX_ROWS;
		shown.add(new Row(Kind.GAP, 0, 0, rest + ((rest == 1) ? " more row not shown" : " more rows not shown")));
		return shown;
	}

	private static List<String> lines(String text) {
		if (text == null || text.isEmpty()) {
			return List.of();
		}
		List<String> lines = new ArrayList<>(Arrays.asList(text.split("\\R", -1)));
		if (text.endsWith("\n")) {
			// the last line's end, not an empty line after it
			lines.remove(lines.size() - 1);
		}
		return lines;
	}

	/** What a row shows. */
	public enum Kind {

		/** A line in both texts. */
		SAME,

		/** A line only in the new text. */
		ADDED,

		/** A line only in the old text. */
		REMOVED,

		/** Unchanged lines left out. */
		GAP

	}

	/**
	 * One row of a difference.
	 *
	 * @param kind what it shows
	 * @param oldLine the line's number in the old text, or 0 (for a gap: the first folded
	 * line's number in the old text)
	 * @param newLine the line's number in the new text, or 0
	 * @param text the line, or for a gap what was left out
	 * @param parent for a gap, the line of the block its first folded line belongs to
	 * (such as {@code locations:}), or {@code null} at the top level
	 * @param folded for a gap, the folded lines (at most {@link #MAX_FOLDED}); otherwise
	 * empty
	 * @param firstFolded for a gap, the old line number of the first folded line
	 */
	public record Row(Kind kind, int oldLine, int newLine, String text, String parent, List<String> folded,
			int firstFolded) {

		public Row {
			folded = List.copyOf(folded);
		}

		/**
		 * A row of the texts compared.
		 * @param kind what it shows
		 * @param oldLine the line's number in the old text, or 0
		 * @param newLine the line's number in the new text, or 0
		 * @param text the line
		 */
		public Row(Kind kind, int oldLine, int newLine, String text) {
			this(kind, oldLine, newLine, text, null, List.of(), 0);
		}

		static Row gap(int lines) {
			return new Row(Kind.GAP, 0, 0, lines + ((lines == 1) ? " unchanged line" : " unchanged lines"));
		}

		/**
		 * The row's sign: {@code +}, {@code -} or a space.
		 * @return the sign
		 */
		public String sign() {
			return switch (this.kind) {
				case ADDED -> "+";
				case REMOVED -> "-";
				default -> " ";
			};
		}

	}

}
