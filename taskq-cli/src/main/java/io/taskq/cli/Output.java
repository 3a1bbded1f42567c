package io.taskq.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a command's output goes: tables and lines for people, or JSON for scripts ({@code --json}), on picocli's
 * stdout writer; messages for people on stderr. The JSON mapper is a plain one (no default typing: the documents are
 * maps, lists and strings the commands build, see {@link Views}).
 */
final class Output {
    /** Asks the person at the terminal a question; empty when there is no terminal to ask. */
    interface Prompt {
        Optional<String> ask(String question);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final Prompt prompt;

    Output(PrintWriter out, PrintWriter err, boolean json, Prompt prompt) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.prompt = prompt;
    }

    boolean json() {
        return json;
    }

    PrintWriter out() {
        return out;
    }

    /** A message for the person (stderr), never part of the output a script reads. */
    void note(String message) {
        err.println(message);
        err.flush();
    }

    /** One JSON document, indented. */
    void printJson(Object value) {
        out.println(toJson(value, true));
        out.flush();
    }

    /** One JSON document on one line (for streams: one event per line). */
    void printJsonLine(Object value) {
        out.println(toJson(value, false));
        out.flush();
    }

    void println(String line) {
        out.println(line);
        out.flush();
    }

    /** The outcome of a change: the view as JSON with --json, else the message for people. */
    int done(Object view, String message) {
        if (json) {
            printJson(view);
        } else {
            println(message);
        }
        return ExitCode.OK;
    }

    /**
     * For people: one {@code name: value} line per field that has a value, aligned; a nested map's fields (the
     * error's) as {@code name.field}, a value's further lines indented under its first.
     */
    void printFields(Map<String, Object> view) {
        Map<String, Object> flat = new LinkedHashMap<>();
        view.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                m.forEach((k2, v2) -> flat.put(k + "." + k2, v2));
            } else {
                flat.put(k, v);
            }
        });
        int width = flat.keySet().stream().mapToInt(String::length).max().orElse(0);
        flat.forEach((k, v) -> {
            if (v != null && !(v instanceof String str && str.isBlank())) {
                String text = v instanceof java.time.Instant t ? Formats.instant(t) : String.valueOf(v);
                String label = k + ":" + " ".repeat(width - k.length() + 1);
                println(label + text.replace("\n", "\n" + " ".repeat(label.length())));
            }
        });
    }

    void print(Table table) {
        table.print(out);
    }

    static String toJson(Object value, boolean pretty) {
        try {
            return pretty ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value)
                    : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Whether a destructive action may go ahead: yes with {@code --yes}; else the person at the terminal is asked;
     * without a terminal (a script, a pipe) it is refused with the usage exit code, so that nothing is deleted by a
     * command nobody confirmed.
     */
    boolean confirm(boolean yes, String action) {
        if (yes) {
            return true;
        }
        Optional<String> answer = prompt.ask(action + "? [y/N] ");
        if (answer.isEmpty()) {
            throw new CliFailure(ExitCode.USAGE, "refusing to " + action + " without --yes (no terminal to ask)");
        }
        String a = answer.get().trim();
        if (a.equalsIgnoreCase("y") || a.equalsIgnoreCase("yes")) {
            return true;
        }
        note("not confirmed; nothing changed");
        return false;
    }
}
