package io.lakeport.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: a header and rows, columns two spaces apart, text left-aligned and numbers
 * right-aligned, no trailing spaces.
 */
final class Table {
  private final List<String> header;
  private final boolean[] numeric;
  private final List<List<String>> rows = new ArrayList<>();

  /**
   * Columns named {@code header}; a name starting with {@code >} is a right-aligned (number)
   * column.
   */
  Table(String... header) {
    this.header = new ArrayList<>();
    this.numeric = new boolean[header.length];
    for (int i = 0; i < header.length; i++) {
      numeric[i] = header[i].startsWith(">");
      this.header.add(numeric[i] ? header[i].substring(1) : header[i]);
    }
  }

  Table row(String... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException(
          "a row of " + header.size() + " cells, not " + cells.length);
    }
    rows.add(List.of(cells));
    return this;
  }

  void print(PrintWriter out) {
    int[] widths = new int[header.size()];
    for (List<String> row : allRows()) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : allRows()) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        String pad = " ".repeat(widths[i] - cell.length());
        line.append(i == 0 ? "" : "  ").append(numeric[i] ? pad + cell : cell + pad);
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private List<List<String>> allRows() {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    return all;
  }
}
