package io.taskq.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.taskq.internal.Envelope;
import io.taskq.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wait time of an attempt: from the send, or the later ETA, to the start; unknown without a send time. */
class WorkerEventsTest {
    private static final Instant SENT = Instant.parse("2031-01-01T00:00:00Z");

    private static Envelope sent(Instant sentAt, Instant eta) {
        return new Envelope("id", "t", "q", 4, Json.mapper().createArrayNode(), eta, null, 0, null, null, null,
                false, "me", Map.of(), sentAt);
    }

    @Test
    void theWaitStartsAtTheSendOrAtALaterEta() {
        Instant start = SENT.plusSeconds(90);
        assertEquals(Duration.ofSeconds(90), WorkerEvents.waitTime(sent(SENT, null), start));
        assertEquals(Duration.ofSeconds(90), WorkerEvents.waitTime(sent(SENT, SENT.minusSeconds(5)), start));
        assertEquals(Duration.ofSeconds(30), WorkerEvents.waitTime(sent(SENT, SENT.plusSeconds(60)), start));
    }

    @Test
    void aSenderAheadOfTheWorkerGivesNoNegativeWaitAndAnUnknownSendNoWait() {
        assertEquals(Duration.ZERO, WorkerEvents.waitTime(sent(SENT, null), SENT.minusMillis(3)));
        assertNull(WorkerEvents.waitTime(sent(null, null), SENT));
    }
}
