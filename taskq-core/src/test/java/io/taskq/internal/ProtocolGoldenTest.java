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

    /**
     * The first message of {@code Chain.of(price("o-17")).then(report.s("acme"))} with an error callback on every
     * step: the embed holds the errback and the rest of the chain (Celery's order), each a Celery signature.
     */
    static Envelope exampleWorkflowEnvelope() {
        var f = Json.mapper();
        Embed.Step alert = new Embed.Step("billing.alert", f.createArrayNode().add("billing-team"), false,
                "5f0b7c44-61d8-3b1e-9a53-0c1f2a3b4c5d", "billing", 4, null, null, null, java.util.List.of(),
                java.util.List.of());
        Embed.Step stepAlert = new Embed.Step("billing.alert", f.createArrayNode().add("billing-team"), false,
                "1a3c5e7f-9b1d-3f5a-8c7e-9f1b3d5f7a9c", "billing", 4, null, null, null, java.util.List.of(),
                java.util.List.of());
        Embed.Step report = new Embed.Step("billing.report", f.createArrayNode().add("acme"), false,
                "9c2e4f6a-8b0d-3c1e-a2f4-6b8d0e2f4a6c", "billing", 6, Duration.ofMillis(1500), Duration.ofSeconds(60),
                null, java.util.List.of(), java.util.List.of(stepAlert));
        return new Envelope(ID, "billing.price", "billing", 4, f.createArrayNode().add("o-17"), null, null, 0, null,
                null, null, false, "4242@app-1", Map.of(), Instant.parse("2026-11-21T17:43:04.576Z"), null,
                new Embed(java.util.List.of(), java.util.List.of(alert), java.util.List.of(report)));
    }

    @Test
    void theEnvelopeWritersWriteTheGoldenWorkflowMessage() throws Exception {
        String golden = Golden.compact("envelope-workflow.json");
        assertEquals(golden, exampleWorkflowEnvelope().encode());
        assertEquals(golden, exampleWorkflowEnvelope().encodeWithTree());
        assertEquals(exampleWorkflowEnvelope(), Envelope.decode(Golden.text("envelope-workflow.json")));
    }

    @Test
    void theRecordWritersWriteTheGoldenRecords() throws Exception {
        for (String name : new String[] {"record-received.json", "record-lineage.json", "record-success.json",
                "record-failure.json"}) {
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
        TaskRecord ownRoot = success.withLineage(ID, null);
        assertEquals(null, ownRoot.rootId(), "a root that is the task's own id is not written");
        assertEquals(ID, ownRoot.root());
        assertEquals(Golden.compact("record-success.json"), JsonText.record(ownRoot));
    }

    @Test
    void theResultIsTheDataCodecsText() throws Exception {
        record Receipt(String messageId, boolean accepted) {
        }
        TaskRecord success = Json.mapper().readValue(Golden.text("record-success.json"), TaskRecord.class);
        assertEquals(success.result(), DataCodec.defaults().write(new Receipt("m-4f1c", true)));
    }
}
