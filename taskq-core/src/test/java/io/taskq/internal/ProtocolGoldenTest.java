package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.contract.Golden;
import io.taskq.spi.TaskRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Java writers of the wire formats produce the golden files (the examples of docs/protocol.md) byte for byte,
 * up to the files' indentation: the hand-written fast paths ({@link Envelope#encode()}, {@link JsonText#record})
 * and the Jackson references they promise to match. Byte for byte rather than as JSON because that is their
 * promise (readers in other languages, and the scripts' frame checks, see the very text), and because it pins
 * field order, escaping and number form, which a JSON comparison would let drift.
 */
class ProtocolGoldenTest {
    private static final String ID = "0636dca0-ee9a-4a16-9f21-47e59b090c49";

    /** The message of the example: {@code email.send("ada@example.com", "Hello")} on queue email. */
    static Envelope exampleEnvelope() {
        var args = Json.mapper().createArrayNode().add("ada@example.com").add("Hello");
        return new Envelope(ID, "email.send", "email", 4, args, Instant.parse("2026-11-21T17:43:34.576Z"), null, 0,
                Duration.ofSeconds(30), null, null, false, "4242@app-1", Map.of("tenant", "acme"),
                Instant.parse("2026-11-21T17:43:04.576Z"));
    }

    @Test
    void theEnvelopeWritersWriteTheGoldenMessage() throws Exception {
        String golden = Golden.compact("envelope.json");
        assertEquals(golden, exampleEnvelope().encode());
        assertEquals(golden, exampleEnvelope().encodeWithTree());
        // and the indented text of the document reads as the same message
        assertEquals(exampleEnvelope(), Envelope.decode(Golden.text("envelope.json")));
    }

    @Test
    void theRecordWritersWriteTheGoldenRecords() throws Exception {
        for (String name : new String[] {"record-received.json", "record-success.json", "record-failure.json"}) {
            TaskRecord r = Json.mapper().readValue(Golden.text(name), TaskRecord.class);
            String golden = Golden.compact(name);
            assertEquals(golden, JsonText.record(r), name);
            assertEquals(golden, Json.mapper().writeValueAsString(r), name + " (Jackson)");
            assertEquals(r, JsonText.readRecord(golden), name + " (read back)");
        }
        TaskRecord success = new TaskRecord(ID, "email", "email.send", io.taskq.TaskState.SUCCESS,
                "{\"messageId\":\"m-4f1c\",\"accepted\":true}", null, 0, 1, "4242@app-1#1",
                Instant.parse("2026-11-21T17:43:35.012Z"), null);
        assertEquals(Golden.compact("record-success.json"), JsonText.record(success));
    }

    @Test
    void theResultIsTheDataCodecsText() throws Exception {
        record Receipt(String messageId, boolean accepted) {
        }
        TaskRecord success = Json.mapper().readValue(Golden.text("record-success.json"), TaskRecord.class);
        assertEquals(success.result(), DataCodec.defaults().write(new Receipt("m-4f1c", true)));
    }
}
