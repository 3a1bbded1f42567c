package io.taskq.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.TaskMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The bounded cleanup of uniqueness keys (docs/limits.md#unique-tasks), for each broker with its own count of the
 * keys it stores: keys whose tasks no longer hold them go as later unique tasks come, and keys still held stay.
 */
public final class UniqueKeysTrim {
    private UniqueKeysTrim() {
    }

    private static TaskMessage unique(String key) {
        String body = "{\"v\":1,\"headers\":{\"limits\":\"u|" + key + "|q|0\"},\"id\":\"" + key
                + "\",\"task\":\"u.t\",\"args\":[]}";
        return new TaskMessage(key, "uq", "u.t", 0, null, body);
    }

    /**
     * Takes 300 keys while queued and claims their tasks (so they hold no more), then sends 100 unique tasks with
     * new keys one per call: at most {@code atMost} keys are stored after, the 100 new ones among them.
     */
    public static void keysOfClaimedTasksGoAsNewOnesCome(Broker broker, LongSupplier stored, long atMost)
            throws InterruptedException {
        List<TaskMessage> first = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(unique("old-" + i));
        }
        for (int i = 0; i < first.size(); i += 100) {
            broker.enqueue(first.subList(i, i + 100));
        }
        assertEquals(300, stored.getAsLong());
        int claimed = 0;
        while (claimed < 300) {
            int n = broker.claim(new ClaimRequest("c", List.of("uq"), 100, Duration.ofMinutes(5), Duration.ZERO))
                    .size();
            assertTrue(n > 0, "claimed " + claimed + " of 300");
            claimed += n;
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(List.of(true), broker.enqueue(List.of(unique("new-" + i))));
        }
        long left = stored.getAsLong();
        assertTrue(left >= 100 && left <= atMost, "keys stored: " + left + ", at most " + atMost + " expected");
        for (int i = 0; i < 100; i++) {
            TaskMessage dup = unique("new-" + i);
            dup = new TaskMessage("dup-" + i, dup.queue(), dup.task(), 0, null, dup.body());
            assertEquals(List.of(false), broker.enqueue(List.of(dup)), "new-" + i + " is still held");
        }
    }
}
