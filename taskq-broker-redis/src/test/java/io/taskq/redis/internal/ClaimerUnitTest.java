package io.taskq.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The claimer's decisions that need no Redis: how long to wait, dry hints, refusals, reading a claim's reply. */
class ClaimerUnitTest {

    private static ClaimRequest request(String consumer, String... queues) {
        return new ClaimRequest(consumer, List.of(queues), 4, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    /** Refusals that turn claims sent ahead off for good, and transient errors that do not. */
    @Test
    void onlyARefusalOfTheFormTurnsClaimsSentAheadOff() {
        assertTrue(Claimer.refusesClaimAhead("ERR The user executing the script can't run this command or "
                + "subcommand script: 4b3f8ba5, on @user_script:46."));
        assertTrue(Claimer.refusesClaimAhead("NOPERM this user has no permissions to run the 'time' command"));
        assertTrue(Claimer.refusesClaimAhead("ERR The user executing the script can't run this command or "
                + "subcommand script: taskq_3facef7f19023363_claim, on @user_function:46."));
        assertFalse(Claimer.refusesClaimAhead("LOADING Redis is loading the dataset in memory"));
        assertFalse(Claimer.refusesClaimAhead("BUSY Redis is busy running a script."));
        assertFalse(Claimer.refusesClaimAhead("MASTERDOWN Link with MASTER is down"));
        assertFalse(Claimer.refusesClaimAhead(null));
    }

    @Test
    void anIdleClaimWaitsWhatIsLeftAtMostUntilTheNextWakeUp() {
        assertEquals(5000, Claimer.waitMs(5000, -1, 1000, true), "nothing due: the whole wait");
        assertEquals(201, Claimer.waitMs(5000, 1200, 1000, true), "until just past the wake-up");
        assertEquals(1, Claimer.waitMs(5000, 900, 1000, true), "already due: the shortest wait");
        assertEquals(300, Claimer.waitMs(300, 9000, 1000, true), "never past the claim's own wait");
        assertEquals(Claimer.TEST_CLOCK_SLICE_MS, Claimer.waitMs(5000, 9000, 1000, false),
                "a test clock: sliced, so that moving it is noticed");
        assertEquals(5000, Claimer.waitMs(5000, -1, 1000, false), "nothing due: not sliced");
    }

    @Test
    void aDryHintServesTheSameQueuesOnceWhileFresh() {
        DryHints hints = new DryHints();
        hints.put(request("w", "b", "a"), 1234, 0);
        assertNull(hints.take(request("other", "a", "b"), 0), "another consumer's");
        assertEquals(1234L, hints.take(request("w", "a", "b"), 1), "same queues in any order");
        assertNull(hints.take(request("w", "a", "b"), 2), "taken once");
        hints.put(request("w", "a"), -1, 0);
        assertNull(hints.take(request("w", "a", "b"), 1), "other queues");
        hints.put(request("w", "a"), -1, 0);
        assertNull(hints.take(request("w", "a"), DryHints.MAX_AGE_NANOS + 1), "stale");
    }

    @Test
    void aClaimReplyIsReadIntoDeliveries() {
        // count, wake-up, then id, attempt, token, job (score \n task \n body) per task
        String job = (3L * (1L << 49) + 17) + "\nsend\n{\"to\":\"x\"}";
        List<Object> reply = List.of(1L, 42L, "id1", 2L, "77", job);
        List<Delivery> out = new ArrayList<>();
        assertEquals(42L, Claimer.readClaim("q", reply, out));
        assertEquals(List.of(new Delivery("id1", "q", "send", 6, "{\"to\":\"x\"}", 2, 77)), out);
    }
}
