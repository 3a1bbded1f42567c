package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.TaskState;
import org.junit.jupiter.api.Test;

/** The end a broker marks on a chord member it cannot end itself (docs/workflows.md#members-the-broker-ends). */
class BrokerEndTest {
    private static final String CHORD = "{\"id\":\"c1\",\"index\":1,\"size\":2,\"callback\":{\"task\":\"t.cb\","
            + "\"args\":[],\"kwargs\":{},\"options\":{\"task_id\":\"cb-1\",\"queue\":\"default\"}}}";

    private static String message(String chord) {
        return "{\"v\":1,\"headers\":{\"lang\":\"java\",\"task\":\"t.m\",\"id\":\"m-1\",\"queue\":\"default\","
                + "\"tenant\":\"acme\"},\"body\":[[1],{},{\"callbacks\":null,\"errbacks\":null,\"chain\":null,"
                + "\"chord\":" + chord + "}]}";
    }

    @Test
    void aChordMemberIsMarkedOnceAndReadsBackWithoutTheMarkAmongItsHeaders() throws Exception {
        String marked = new BrokerEnd(TaskState.REVOKED, "stop \"now\"").mark(message(CHORD));
        assertTrue(marked.startsWith("{\"v\":1,\"headers\":{\"taskq_end\":"), marked);
        assertEquals(new BrokerEnd(TaskState.REVOKED, "stop \"now\""), BrokerEnd.of(marked));
        Envelope env = Envelope.decode(marked);
        assertEquals("m-1", env.id());
        assertEquals(java.util.Map.of("tenant", "acme"), env.headers(), "the mark is no custom header");
        assertEquals("c1", env.embed().chord().id());
        assertSame(marked, new BrokerEnd(TaskState.FAILURE, "lost").mark(marked), "the first end stays");
        assertEquals(TaskState.REVOKED, BrokerEnd.of(marked).state());
        String resubmitted = env.withRetriesReset(java.time.Instant.EPOCH).encode();
        assertNull(BrokerEnd.of(resubmitted), "a dead letter sent again runs");
    }

    @Test
    void otherMessagesAreNotMarked() throws Exception {
        BrokerEnd end = new BrokerEnd(TaskState.FAILURE, "lost");
        assertNull(end.mark(message("null")), "not a chord member: the broker ends it itself");
        assertNull(end.mark("[1,2]"), "not taskq's form");
        assertNull(BrokerEnd.of(message(CHORD)));
        String empty = end.mark("{\"v\":1,\"headers\":{},\"body\":[[],{},{\"chord\":" + CHORD + "}]}");
        assertEquals(end, BrokerEnd.of(empty));
        assertTrue(Json.mapper().readTree(empty).path("headers").size() == 1, empty);
    }

    @Test
    void longReasonsAreCutAndBadMarksRefused() throws Exception {
        String marked = new BrokerEnd(TaskState.FAILURE, "x".repeat(2000)).mark(message(CHORD));
        assertEquals(BrokerEnd.MAX_REASON, BrokerEnd.of(marked).reason().length());
        String bad = "{\"v\":1,\"headers\":{\"taskq_end\":{\"state\":\"SUCCESS\",\"reason\":\"\"},\"id\":\"x\"}}";
        assertThrows(Envelope.MalformedException.class, () -> BrokerEnd.of(bad));
        assertThrows(Envelope.MalformedException.class, () -> BrokerEnd.of("{\"v\":1,\"headers\":{\"taskq_end\":"));
        assertThrows(IllegalArgumentException.class, () -> new BrokerEnd(TaskState.SUCCESS, "x"));
        assertTrue(Envelope.RESERVED.contains(BrokerEnd.HEADER));
    }
}
