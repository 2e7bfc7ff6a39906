package dev.logqueue.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows under a header, in columns as wide as their widest cell; numbers (columns named as such)
 * right-aligned. Plain text: it reads on a terminal and survives a pipe into grep or awk.
 */
final class Table {

  private final List<String> header;
  private final boolean[] right;
  private final List<List<String>> rows = new ArrayList<>();

  /** Column names; a name ending in '>' is a right-aligned (number) column, shown without it. */
  Table(String... columns) {
    header = new ArrayList<>();
    right = new boolean[columns.length];
    for (int i = 0; i < columns.length; i++) {
      right[i] = columns[i].endsWith(">");
      header.add(right[i] ? columns[i].substring(0, columns[i].length() - 1) : columns[i]);
    }
  }

  Table row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("a row of " + cells.length + " cells");
    }
    List<String> row = new ArrayList<>();
    for (Object cell : cells) {
      row.add(cell == null ? "" : cell.toString());
    }
    rows.add(row);
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  void print(PrintStream out) {
    int[] widths = new int[header.size()];
    for (List<String> row : rowsWithHeader()) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : rowsWithHeader()) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        String pad = " ".repeat(widths[i] - cell.length());
        line.append(right[i] ? pad + cell : cell + (i < row.size() - 1 ? pad : ""));
        if (i < row.size() - 1) {
          line.append("  ");
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private List<List<String>> rowsWithHeader() {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    return all;
  }
}
