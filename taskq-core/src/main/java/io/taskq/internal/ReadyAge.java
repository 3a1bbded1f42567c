package io.taskq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * Since when a ready task has been runnable, for {@code QueueStats.oldestReadyAge}: the later of its message's
 * {@code sent_at} and {@code eta} headers (a task that waited for its ETA or a retry's backoff counts from then, not
 * from its submit). Both brokers take it from the head task of each priority band; the Redis broker's script reads
 * the two header texts, the in-memory broker the message.
 */
public final class ReadyAge {
    private ReadyAge() {
    }

    /** The later of the two header times, or null if neither is a time (a sender that says neither). */
    public static Instant since(String sentAt, String eta) {
        Instant sent = sentAt == null || sentAt.isEmpty() ? null : Envelope.time(sentAt);
        Instant due = eta == null || eta.isEmpty() ? null : Envelope.time(eta);
        if (sent == null || due == null) {
            return sent == null ? due : sent;
        }
        return due.isAfter(sent) ? due : sent;
    }

    /** {@link #since(String, String)} of a whole message; null if it is not a JSON envelope or says neither. */
    public static Instant since(String body) {
        JsonNode h;
        try {
            h = Json.mapper().readTree(body).path("headers");
        } catch (Exception e) {
            return null; // not JSON: a malformed message, which will be dead-lettered when claimed
        }
        return since(text(h, "sent_at"), text(h, "eta"));
    }

    /** How long since {@code since} at {@code now}: zero for null or a time still ahead (clocks of two hosts). */
    public static Duration age(Instant now, Instant since) {
        if (since == null || !since.isBefore(now)) {
            return Duration.ZERO;
        }
        return Duration.between(since, now);
    }

    private static String text(JsonNode h, String field) {
        JsonNode n = h.get(field);
        return n == null || !n.isTextual() ? null : n.textValue();
    }
}
