package dev.capuchin.app.audit;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.capuchin.app.audit.LineDiff.Kind;
import dev.capuchin.app.audit.LineDiff.Row;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineDiffTests {

	@Test
	void aChangedLineIsARemovalAndAnAdditionWithNumbers() {
		List<Row> rows = LineDiff.between("name: shop\nfdt: true\n", "name: shop\nfdt: false\n");
		assertThat(rows).containsExactly(new Row(Kind.SAME, 1, 1, "name: shop"),
				new Row(Kind.REMOVED, 2, 0, "fdt: true"), new Row(Kind.ADDED, 0, 2, "fdt: false"));
	}

	@Test
	void aNewTextIsAllAdditions() {
		assertThat(LineDiff.between(null, "a\nb\n")).extracting(Row::kind).containsExactly(Kind.ADDED, Kind.ADDED);
	}

	@Test
	void aRemovedTextIsAllRemovals() {
		assertThat(LineDiff.between("a\nb", null)).extracting(Row::sign).containsExactly("-", "-");
	}

	@Test
	void longUnchangedStretchesBecomeGapsAroundThreeLinesOfContext() {
		String before = lines(1, 20);
		String after = before.replace("line 10\n", "line ten\n");
		List<Row> rows = LineDiff.between(before, after);
		assertThat(rows.get(0)).extracting(Row::kind, Row::text).containsExactly(Kind.GAP, "6 unchanged lines");
		assertThat(rows.get(1)).isEqualTo(new Row(Kind.SAME, 7, 7, "line 7"));
		assertThat(rows).filteredOn((row) -> row.kind() == Kind.REMOVED)
			.extracting(Row::text)
			.containsExactly("line 10");
		assertThat(rows.get(rows.size() - 1)).extracting(Row::kind, Row::text)
			.containsExactly(Kind.GAP, "7 unchanged lines");
	}

	@Test
	void aFoldedGapNamesTheBlockItBelongsToAndKeepsItsLinesToOpen() {
		String before = "name: shop\nlocations:\n- path: /a/\n  note: 1\n- path: /b/\n  note: 2\n- path: /c/\n"
				+ "  note: 3\n- path: /d/\n  note: 4\n- path: /e/\n  note: 5\n";
		String after = before.replace("name: shop", "name: shop2").replace("note: 5", "note: 6");
		List<Row> gaps = LineDiff.between(before, after).stream().filter((row) -> row.kind() == Kind.GAP).toList();
		assertThat(gaps).singleElement().satisfies((gap) -> {
			assertThat(gap.text()).isEqualTo("4 unchanged lines");
			assertThat(gap.parent()).isEqualTo("locations:");
			assertThat(gap.folded()).containsExactly("- path: /b/", "  note: 2", "- path: /c/", "  note: 3");
			assertThat(gap.firstFolded()).isEqualTo(5);
		});
	}

	@Test
	void identicalTextsAreOneGap() {
		assertThat(LineDiff.between("a\nb\n", "a\nb\n")).singleElement()
			.extracting(Row::kind, Row::text)
			.containsExactly(Kind.GAP, "2 unchanged lines");
	}

	@Test
	void aHugeDifferenceIsCutWithACount() {
		List<Row> rows = LineDiff.between(null, lines(1, LineDiff.MAX_ROWS + 10));
		assertThat(rows).hasSize(LineDiff.MAX_ROWS + 1);
		assertThat(rows.get(LineDiff.MAX_ROWS).text()).isEqualTo("10 more rows not shown");
	}

	private static String lines(int from, int to) {
		return IntStream.rangeClosed(from, to).mapToObj((i) -> "line " + i + "\n").collect(Collectors.joining());
	}

}
