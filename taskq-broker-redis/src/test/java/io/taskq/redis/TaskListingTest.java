package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.contract.MutableClock;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listings of a partitioned queue: the partitions' pages merged in order, each task once across the pages. */
class TaskListingTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static List<TaskSummary> all(RedisBroker b, TaskLocation.Place place, TaskPage.Order order, int limit) {
        List<TaskSummary> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            TaskPage p = b.tasks("p", place, order, limit, cursor);
            assertTrue(p.tasks().size() <= limit);
            out.addAll(p.tasks());
            cursor = p.next();
            pages++;
        } while (cursor != null && pages < 100);
        assertNull(cursor, "the listing ends");
        return out;
    }

    @Test
    void aPartitionedQueueIsListedInOrderEachTaskOnce() {
        MutableClock clock = new MutableClock();
        String prefix = "l" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisBroker b = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).clock(clock)
                .partitions("p", 3).build()) {
            Instant t0 = clock.instant();
            List<TaskMessage> ms = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ms.add(new TaskMessage("t" + i, "p", "t", (i % 3) * 3, null, "{}"));
                ms.add(new TaskMessage("d" + i, "p", "t", 4, t0.plusSeconds(100 + i), "{}"));
            }
            b.enqueue(ms);
            List<TaskSummary> queued = all(b, TaskLocation.Place.QUEUED, TaskPage.Order.OLDEST_FIRST, 7);
            Set<String> ids = new HashSet<>();
            queued.forEach(t -> ids.add(t.id()));
            assertEquals(20, queued.size());
            assertEquals(20, ids.size(), "each task once");
            for (int i = 1; i < queued.size(); i++) {
                assertTrue(queued.get(i - 1).priority() >= queued.get(i).priority(), "higher priority first");
            }
            List<TaskSummary> newest = all(b, TaskLocation.Place.QUEUED, TaskPage.Order.NEWEST_FIRST, 6);
            assertEquals(20, newest.size());
            assertEquals(0, newest.get(0).priority());

            List<TaskSummary> delayed = all(b, TaskLocation.Place.DELAYED, TaskPage.Order.OLDEST_FIRST, 3);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                expected.add("d" + i);
            }
            assertEquals(expected, delayed.stream().map(TaskSummary::id).toList(), "by due time across partitions");
            assertEquals(t0.plusSeconds(100), delayed.get(0).at());

            assertThrows(IllegalArgumentException.class, () -> b.tasks("p", TaskLocation.Place.QUEUED,
                    TaskPage.Order.OLDEST_FIRST, 5, "3"), "a cursor of another listing (one partition)");
        }
    }
}
