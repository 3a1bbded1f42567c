package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskq.TaskError;
import io.taskq.TaskState;
import io.taskq.spi.TaskRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    /** Records with every state, several errors and times, and strings that need escaping in every field. */
    private static List<TaskRecord> records() {
        String odd = "q\"uote \\ back\nnl\ttab\r\b\f\u0001\u001f\u007f é 中 \uD83D\uDE00 \u2028 </x>";
        TaskError[] errors = {null, new TaskError("java.lang.IllegalStateException", "boom", "at x\n\tat y"),
            new TaskError(odd, odd, odd), new TaskError("t", null, null)};
        Instant[] times = {Instant.parse("2026-11-21T20:21:03.327Z"), Instant.parse("2026-11-21T20:21:03Z"),
            Instant.parse("2026-11-21T20:21:03.000001Z"), Instant.parse("2026-11-21T20:21:03.123456789Z"),
            Instant.parse("2024-02-29T23:59:59.9Z"), Instant.EPOCH, Instant.parse("0001-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z")};
        List<TaskRecord> out = new ArrayList<>();
        for (TaskState state : TaskState.values()) {
            for (TaskError error : errors) {
                for (Instant at : times) {
                    for (String s : new String[] {null, "", "x", odd, "{\"a\":[1,2]}"}) {
                        out.add(new TaskRecord("id-" + (s == null ? "" : s), "q" + (s == null ? "" : s), s, state, s,
                                error, 3, 7, s, at, s));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void recordsAreWhatJacksonWritesByteForByte() throws Exception {
        for (TaskRecord r : records()) {
            assertEquals(Json.mapper().writeValueAsString(r), JsonText.record(r));
        }
    }

    @Test
    void recordsReadBackAsJacksonReadsThem() throws Exception {
        for (TaskRecord r : records()) {
            String json = JsonText.record(r);
            assertEquals(r, JsonText.readRecord(json));
            assertEquals(Json.mapper().readValue(json, TaskRecord.class), JsonText.readRecord(json));
        }
    }

    @Test
    void recordsInOtherShapesAreLeftToJackson() throws Exception {
        String[] same = {
            // fields in another order, missing optional ones, numbers as Jackson coerces them, other time forms
            "{\"state\":\"SUCCESS\",\"updatedAt\":\"2026-11-21T20:21:03.327Z\",\"id\":\"a\",\"queue\":\"q\","
                + "\"attempt\":2,\"retries\":1}",
            "{\"id\":\"a\",\"queue\":\"q\",\"state\":\"SUCCESS\",\"updatedAt\":\"2026-11-21T21:21:03+01:00\","
                + "\"retries\":0,\"attempt\":1}",
            "{\"id\":\"a\",\"queue\":\"q\",\"state\":\"SUCCESS\",\"updatedAt\":1700000000.5,"
                + "\"retries\":0,\"attempt\":1}",
            "{\"id\":\"a\",\"queue\":\"q\",\"state\":\"SUCCESS\",\"updatedAt\":\"2026-11-21T20:21:03.327Z\","
                + "\"retries\":\"2\",\"attempt\":1.0}",
            "{\"id\":\"a\",\"queue\":\"q\",\"state\":\"SUCCESS\",\"updatedAt\":\"2026-11-21T20:21:03.327Z\","
                + "\"result\":5,\"error\":{\"type\":\"t\",\"message\":7},\"retries\":0,\"attempt\":1}",
        };
        for (String json : same) {
            assertEquals(Json.mapper().readValue(json, TaskRecord.class), JsonText.readRecord(json), json);
        }
        String[] refused = {
            "{\"id\":\"a\",\"queue\":\"q\",\"state\":\"NOPE\",\"updatedAt\":\"2026-11-21T20:21:03Z\"}",
            "{\"id\":\"a\",\"queue\":\"q\",\"state\":\"SUCCESS\",\"updatedAt\":\"2026-02-30T20:21:03Z\"}",
            "{\"id\":\"a\",\"queue\":\"q\",\"state\":\"SUCCESS\",\"updatedAt\":\"2026-11-21T20:21:03Z\",\"x\":1}",
            "{\"id\":\"a\",\"queue\":\"q\",\"updatedAt\":\"2026-11-21T20:21:03Z\"}",
            "{\"id\":\"a\",\"queue\":\"q\",\"state\":\"SUCCESS\",\"updatedAt\":\"2026-11-21T20:21:03Z\",\"retries\":null}",
            "{\"id\":\"a\",\"queue\":\"q\",\"state\":\"SUCCESS\",\"updatedAt\":\"2026-11-21T20:21:03Z\",\"retries\":1}",
            "{\"id\":\"a\",\"queue\":\"q\",\"state\":\"SUCCESS\",\"updatedAt\":\"2026-11-21T20:21:03Z\",\"error\":{}}",
            "{\"id\":\"a\",\"queue\":",
            "[]",
        };
        for (String json : refused) {
            Exception jackson = assertThrows(Exception.class, () -> Json.mapper().readValue(json, TaskRecord.class));
            Exception ours = assertThrows(Exception.class, () -> JsonText.readRecord(json));
            assertEquals(jackson.getClass(), ours.getClass(), json);
        }
    }

    @Test
    void aRecordWithTextAfterItIsRefused() throws Exception {
        TaskRecord r = new TaskRecord("i", "q", "t", io.taskq.TaskState.SUCCESS, "1", null, 0, 1, "w",
                java.time.Instant.parse("2026-01-01T00:00:00Z"), null);
        String json = JsonText.record(r);
        org.junit.jupiter.api.Assertions.assertEquals(r, JsonText.readRecord(json + " \n"));
        for (String tail : new String[] {"{}", "x", ",", "]"}) {
            org.junit.jupiter.api.Assertions.assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                    () -> JsonText.readRecord(json + tail), tail);
            // the mapper's path (a record the streaming reader leaves to it) refuses it too
            org.junit.jupiter.api.Assertions.assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
                    () -> JsonText.readRecord(json.replace("\"reason\"", "\"unknown\":1,\"reason\"") + tail),
                    tail);
        }
    }
}
