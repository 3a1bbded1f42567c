package io.taskq.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.taskq.WorkerInfo;
import io.taskq.contract.Golden;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The worker registry entry is the golden file of docs/protocol.md, byte for byte up to its indentation. */
class WorkerEntryCodecUnitTest {
    private static final WorkerInfo GOLDEN = new WorkerInfo("4242@app-1#1", "emails@app-1", "shop", "0.1.0", "app-1",
            4242, List.of("email", "default"), Set.of("default"), 8, 3, 1, 1520, 1496, 21, true,
            Instant.parse("2026-11-21T09:00:00.250Z"), Instant.parse("2026-11-21T17:43:35.012Z"),
            Duration.ofSeconds(5));

    @Test
    void theWriterWritesTheGoldenEntryAndTheReaderReadsIt() {
        assertEquals(Golden.compact("worker-info.json"), WorkerEntryCodec.encode(GOLDEN));
        assertEquals(GOLDEN, WorkerEntryCodec.decode(Golden.text("worker-info.json")));
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingCountsAreZero() {
        WorkerInfo w = WorkerEntryCodec.decode("{\"id\":\"w\",\"nodeName\":\"n\",\"version\":\"9\",\"host\":\"h\","
                + "\"startedAt\":\"2026-01-01T00:00:00Z\",\"lastHeartbeat\":\"2026-01-01T00:00:05Z\",\"future\":1}");
        assertNull(w.application());
        assertEquals(0, w.processed());
        assertEquals(List.of(), w.queues());
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : List.of("{not json", "[]", "{}", "{\"id\":\"w\",\"nodeName\":\"n\",\"version\":\"9\","
                + "\"host\":\"h\",\"startedAt\":\"yesterday\",\"lastHeartbeat\":\"2026-01-01T00:00:05Z\"}")) {
            assertThrows(IllegalArgumentException.class, () -> WorkerEntryCodec.decode(bad), bad);
        }
    }
}
