package io.taskq.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain text table: a header row and aligned columns, two spaces apart, as {@code docker ps} prints them. */
final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    /** Adds a row; each value goes through {@link Formats#cell}. */
    Table row(Object... values) {
        if (values.length != headers.size()) {
            throw new IllegalArgumentException("a row of " + values.length + " cells in a table of "
                    + headers.size() + " columns");
        }
        rows.add(Arrays.stream(values).map(Formats::cell).toList());
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Prints the header and the rows; the last column is not padded, so no line ends in spaces. */
    void print(PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> r : rows) {
                widths[i] = Math.max(widths[i], r.get(i).length());
            }
        }
        line(out, headers, widths);
        for (List<String> r : rows) {
            line(out, r, widths);
        }
        out.flush();
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            b.append(c);
            if (i < cells.size() - 1) {
                b.append(" ".repeat(widths[i] - c.length() + 2));
            }
        }
        out.println(b);
    }
}
