package io.taskq.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.taskq.TaskError;
import io.taskq.spi.TaskRecord;

/**
 * JSON text for the hot paths (an envelope per submit, a record per finish), written straight into a
 * {@code StringBuilder}: a Jackson tree or a bean serializer per call costs several times more than the rest of
 * the work around it. The output is the text {@link Json#mapper()} writes, byte for byte (checked by tests), so
 * readers see no difference.
 */
public final class JsonText {
    private JsonText() {
    }

    /** Appends a JSON string literal (or null) with Jackson's escaping; most strings need none. */
    public static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        boolean plain = true;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                plain = false;
                break;
            }
        }
        if (plain) {
            b.append(s);
        } else {
            JsonStringEncoder.getInstance().quoteAsString(s, b);
        }
        b.append('"');
    }

    /** A task record as {@code Json.mapper().writeValueAsString(record)} writes it. */
    public static String record(TaskRecord r) {
        StringBuilder b = new StringBuilder(256 + (r.result() == null ? 0 : r.result().length())
                + (r.error() == null ? 0 : r.error().stackTrace().length() + r.error().message().length()));
        b.append("{\"id\":");
        string(b, r.id());
        b.append(",\"queue\":");
        string(b, r.queue());
        b.append(",\"task\":");
        string(b, r.task());
        b.append(",\"state\":");
        string(b, r.state().name());
        b.append(",\"result\":");
        string(b, r.result());
        b.append(",\"error\":");
        TaskError e = r.error();
        if (e == null) {
            b.append("null");
        } else {
            b.append("{\"type\":");
            string(b, e.type());
            b.append(",\"message\":");
            string(b, e.message());
            b.append(",\"stackTrace\":");
            string(b, e.stackTrace());
            b.append('}');
        }
        b.append(",\"retries\":").append(r.retries()).append(",\"attempt\":").append(r.attempt())
                .append(",\"worker\":");
        string(b, r.worker());
        b.append(",\"updatedAt\":");
        string(b, r.updatedAt().toString());
        b.append(",\"reason\":");
        string(b, r.reason());
        return b.append('}').toString();
    }
}
