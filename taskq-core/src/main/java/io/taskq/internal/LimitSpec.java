package io.taskq.internal;

import io.taskq.RateLimit;
import io.taskq.Uniqueness;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The limits one message is subject to, as the {@value #HEADER} header carries them (docs/protocol.md, docs/limits.md):
 * computed at submit from the task's declaration and the request, so that a broker's claim reads them from the
 * message without parsing its arguments. The text is entries separated by spaces, fields by {@code |}:
 * {@code r|<name>|<key>|<permits>|<periodMs>|<burst>} for a rate limit, {@code c|<name>|<key>|<max>} for a
 * concurrency limit; names and keys are percent-encoded so that the text needs no JSON escaping and holds no
 * separator (the Redis scripts match it with a pattern).
 *
 * A unique task's key and mode follow as {@code u|<key>|<mode>|<windowMs>}, mode {@code q} (while queued), {@code s}
 * (until started), {@code f} (until finished) or {@code w} (a window).
 *
 * @param entries the limits, rate limits first
 * @param unique  the task's uniqueness, or null
 */
public record LimitSpec(List<Entry> entries, Unique unique) {
    /** The envelope header that carries the limits; the envelope writes it first among the headers. */
    public static final String HEADER = "limits";
    /** How a message that carries limits begins (the envelope writes the header first). */
    public static final String BODY_PREFIX = "{\"v\":1,\"headers\":{\"" + HEADER + "\":\"";
    /** Most limits one message may carry. */
    static final int MAX_ENTRIES = 8;
    private static final int MAX_FIELD = 200;

    /** One limit: its name (what it counts), the key within it ("" for one counter), and either a rate or a max. */
    public record Entry(String name, String key, RateLimit rate, int maxRunning) {
        /** Validates the fields. */
        public Entry {
            if (name.isEmpty() || name.length() > MAX_FIELD || key.length() > MAX_FIELD) {
                throw new IllegalArgumentException("a limit's name must be 1 to " + MAX_FIELD
                        + " characters and its key at most " + MAX_FIELD + ": " + name + " / " + key);
            }
            if ((rate == null) == (maxRunning < 1)) {
                throw new IllegalArgumentException("a limit is a rate or a maximum of running tasks");
            }
        }

        /** True for a concurrency limit. */
        public boolean isConcurrency() {
            return rate == null;
        }

        /** Where this limit's counter lives: name and key, encoded. */
        public String counter() {
            return encode(name) + "|" + encode(key);
        }
    }

    /** A unique task's key (in its queue), mode and window (ms, 0 unless the mode is a window). */
    public record Unique(String key, Uniqueness.Mode mode, long windowMs) {
        /** Validates the fields. */
        public Unique {
            if (key.isEmpty() || key.length() > MAX_FIELD) {
                throw new IllegalArgumentException("a uniqueness key has 1 to " + MAX_FIELD + " characters");
            }
        }

        String text() {
            return "u|" + encode(key) + "|" + switch (mode) {
                case WHILE_QUEUED -> "q";
                case UNTIL_STARTED -> "s";
                case UNTIL_FINISHED -> "f";
                case WINDOW -> "w";
            } + "|" + windowMs;
        }

        static Unique parse(String[] f) {
            Uniqueness.Mode mode = switch (f[2]) {
                case "q" -> Uniqueness.Mode.WHILE_QUEUED;
                case "s" -> Uniqueness.Mode.UNTIL_STARTED;
                case "f" -> Uniqueness.Mode.UNTIL_FINISHED;
                case "w" -> Uniqueness.Mode.WINDOW;
                default -> throw new IllegalArgumentException("unknown uniqueness mode '" + f[2] + "'");
            };
            return new Unique(decode(f[1]), mode, Long.parseLong(f[3]));
        }
    }

    /** Limits without uniqueness. */
    public LimitSpec(List<Entry> entries) {
        this(entries, null);
    }

    /** Validates the entries. */
    public LimitSpec {
        entries = List.copyOf(entries);
        if (entries.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a task may be subject to at most " + MAX_ENTRIES + " limits");
        }
    }

    /**
     * Custom headers without the limits header: a follow-up (callback, chain step) carries its parent's headers but
     * not its limits, which count the parent's task.
     */
    public static Map<String, String> without(Map<String, String> headers) {
        if (!headers.containsKey(HEADER)) {
            return headers;
        }
        Map<String, String> out = new LinkedHashMap<>(headers);
        out.remove(HEADER);
        return out;
    }

    /** The header text. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            if (e.isConcurrency()) {
                b.append("c|").append(e.counter()).append('|').append(e.maxRunning());
            } else {
                b.append("r|").append(e.counter()).append('|').append(e.rate().permits()).append('|')
                        .append(e.rate().period().toMillis()).append('|').append(e.rate().burst());
            }
        }
        if (unique != null) {
            b.append(b.isEmpty() ? "" : " ").append(unique.text());
        }
        return b.toString();
    }

    /**
     * Reads a header text.
     *
     * @throws IllegalArgumentException if it is not one {@link #text()} writes
     */
    public static LimitSpec parse(String text) {
        List<Entry> out = new ArrayList<>();
        Unique unique = null;
        for (String part : text.trim().split(" +")) {
            if (part.isEmpty()) {
                continue;
            }
            String[] f = part.split("\\|", -1);
            try {
                if (f[0].equals("r") && f.length == 6) {
                    out.add(new Entry(decode(f[1]), decode(f[2]), new RateLimit(Long.parseLong(f[3]),
                            Duration.ofMillis(Long.parseLong(f[4])), Integer.parseInt(f[5])), 0));
                } else if (f[0].equals("c") && f.length == 4) {
                    out.add(new Entry(decode(f[1]), decode(f[2]), null, Integer.parseInt(f[3])));
                } else if (f[0].equals("u") && f.length == 4 && unique == null) {
                    unique = Unique.parse(f);
                } else {
                    throw new IllegalArgumentException("unknown limit entry '" + part + "'");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad number in limit entry '" + part + "'", e);
            }
        }
        return new LimitSpec(out, unique);
    }

    /**
     * The limits of a message body, or null if it has none.
     *
     * @throws IllegalArgumentException if its limits header is not one {@link #text()} writes (another client's):
     *                                  the claim dead-letters such a message rather than run it unlimited
     */
    public static LimitSpec ofBody(String body) {
        String prefix = BODY_PREFIX;
        if (!body.startsWith(prefix)) {
            return null;
        }
        int end = body.indexOf('"', prefix.length());
        if (end < 0) {
            return null;
        }
        String text = body.substring(prefix.length(), end);
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            StringBuilder quoted = new StringBuilder("malformed limits header ");
            JsonText.string(quoted, text.length() > 200 ? text.substring(0, 200) : text);
            throw new IllegalArgumentException(quoted + ": " + e.getMessage(), e);
        }
    }

    /** Percent-encodes everything but letters, digits and {@code . _ : ~ -}: how names and keys are written. */
    public static String encode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (x & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == ':' || c == '~' || c == '-') {
                b.append(c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }

    /** The inverse of {@link #encode}. */
    public static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c == '%') {
                throw new IllegalArgumentException("bad escape in '" + s + "'");
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
