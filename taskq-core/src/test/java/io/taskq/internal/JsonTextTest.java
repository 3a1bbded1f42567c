package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.TaskError;
import io.taskq.TaskState;
import io.taskq.spi.TaskRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void recordsAreWhatJacksonWritesByteForByte() throws Exception {
        String odd = "q\"uote \\ back\nnl\ttab\r\b\f\u0001\u001f\u007f é 中 \uD83D\uDE00 \u2028 </x>";
        TaskError[] errors = {null, new TaskError("java.lang.IllegalStateException", "boom", "at x\n\tat y"),
            new TaskError(odd, odd, odd), new TaskError("t", null, null)};
        Instant[] times = {Instant.parse("2026-11-21T20:21:03.327Z"), Instant.parse("2026-11-21T20:21:03Z"),
            Instant.parse("2026-11-21T20:21:03.000001Z"), Instant.parse("2026-11-21T20:21:03.123456789Z"),
            Instant.EPOCH};
        for (TaskState state : TaskState.values()) {
            for (TaskError error : errors) {
                for (Instant at : times) {
                    for (String s : new String[] {null, "", "x", odd, "{\"a\":[1,2]}"}) {
                        TaskRecord r = new TaskRecord("id-" + (s == null ? "" : s), "q" + (s == null ? "" : s), s,
                                state, s, error, 3, 7, s, at, s);
                        assertEquals(Json.mapper().writeValueAsString(r), JsonText.record(r));
                    }
                }
            }
        }
    }
}
