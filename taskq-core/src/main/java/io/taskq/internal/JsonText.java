package io.taskq.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.taskq.TaskError;
import io.taskq.TaskState;
import io.taskq.spi.TaskRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * JSON text for the hot paths (an envelope per submit, a record per finish), written straight into a
 * {@code StringBuilder}: a Jackson tree or a bean serializer per call costs several times more than the rest of
 * the work around it. The output is the text {@link Json#mapper()} writes, byte for byte (checked by tests), so
 * readers see no difference. Records are read back the same way ({@link #readRecord}), for the same reason: every
 * result wait decodes one.
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
        string(b, IsoInstants.format(r.updatedAt()));
        b.append(",\"reason\":");
        string(b, r.reason());
        if (r.progress() != null) {
            b.append(",\"progress\":");
            string(b, r.progress());
        }
        if (r.rootId() != null) {
            b.append(",\"rootId\":");
            string(b, r.rootId());
        }
        if (r.parentId() != null) {
            b.append(",\"parentId\":");
            string(b, r.parentId());
        }
        return b.append('}').toString();
    }

    /**
     * Reads a task record as {@code Json.mapper().readValue(json, TaskRecord.class)} does. Records as taskq writes
     * them (here and in the Redis scripts) are read with a streaming parser, several times cheaper than Jackson's
     * record binding, whose {@code Instant} parsing alone (a {@code DateTimeFormatter}) cost more than the rest of
     * the record; anything else (a field it does not know, a type it does not expect, a missing required field, an
     * {@code updatedAt} not in the form {@code Instant.toString()} prints) goes through the mapper, which gives
     * the same result or error as before.
     */
    public static TaskRecord readRecord(String json) throws JsonProcessingException {
        TaskRecord r;
        try {
            r = tryReadRecord(json);
        } catch (JsonProcessingException e) {
            r = null; // malformed: the mapper reports it as it always did
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a String source
        }
        return r != null ? r : Json.mapper().readValue(json, TaskRecord.class);
    }

    private static TaskRecord tryReadRecord(String json) throws IOException {
        try (JsonParser p = Json.mapper().getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            RecordFields r = new RecordFields();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                if (!r.read(f, p, p.nextToken())) {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return r.record();
        }
    }

    /** The fields of a record as they are read; a record is only made of a complete, well-typed set. */
    private static final class RecordFields {
        String id;
        String queue;
        String task;
        String state;
        String result;
        TaskError error;
        int retries = -1; // required: the mapper refuses a missing primitive (FAIL_ON_NULL_FOR_PRIMITIVES)
        int attempt = -1;
        String worker;
        String updatedAt;
        String reason;
        String progress;
        String rootId;
        String parentId;

        /** Reads one field's value; false if the field is unknown or its value of the wrong type. */
        boolean read(String f, JsonParser p, JsonToken v) throws IOException {
            String s = null;
            switch (f) {
                case "id" -> id = s = text(p, v);
                case "queue" -> queue = s = text(p, v);
                case "task" -> task = s = text(p, v);
                case "state" -> state = s = text(p, v);
                case "result" -> result = s = text(p, v);
                case "worker" -> worker = s = text(p, v);
                case "updatedAt" -> updatedAt = s = text(p, v);
                case "reason" -> reason = s = text(p, v);
                case "progress" -> progress = s = text(p, v);
                case "rootId" -> rootId = s = text(p, v);
                case "parentId" -> parentId = s = text(p, v);
                case "retries", "attempt" -> {
                    if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT
                            || p.getIntValue() < 0) {
                        return false;
                    }
                    if (f.equals("retries")) {
                        retries = p.getIntValue();
                    } else {
                        attempt = p.getIntValue();
                    }
                }
                case "error" -> {
                    if (v == JsonToken.START_OBJECT) {
                        error = readError(p);
                        if (error == null) {
                            return false;
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        return false;
                    }
                }
                default -> {
                    return false;
                }
            }
            return s != NOT_STRING;
        }

        /** The record, or null if a required field is missing or a time or state does not parse. */
        TaskRecord record() {
            if (id == null || queue == null || state == null || updatedAt == null || retries < 0 || attempt < 0) {
                return null;
            }
            Instant at = IsoInstants.parse(updatedAt);
            TaskState st = stateOf(state);
            if (at == null || st == null) {
                return null;
            }
            return new TaskRecord(id, queue, task, st, result, error, retries, attempt, worker, at, reason,
                    progress, rootId, parentId);
        }
    }

    /** Marks a field whose value was not a string or null (identity-compared: no JSON text is this instance). */
    private static final String NOT_STRING = new String("not a string");

    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        return v == JsonToken.VALUE_NULL ? null : NOT_STRING;
    }

    private static TaskError readError(JsonParser p) throws IOException {
        String type = null;
        String message = null;
        String stackTrace = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            String s = text(p, v);
            if (s == NOT_STRING) {
                return null;
            }
            switch (f) {
                case "type" -> type = s;
                case "message" -> message = s;
                case "stackTrace" -> stackTrace = s;
                default -> {
                    return null;
                }
            }
        }
        return t == JsonToken.END_OBJECT && type != null ? new TaskError(type, message, stackTrace) : null;
    }

    private static TaskState stateOf(String s) {
        for (TaskState st : STATES) {
            if (st.name().equals(s)) {
                return st;
            }
        }
        return null;
    }

    private static final TaskState[] STATES = TaskState.values();
}
