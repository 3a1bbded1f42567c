package io.taskq.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.taskq.redis.internal.Partitions.Where;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where tasks of partitioned queues go, and the order claims visit partitions in. */
class PartitionsUnitTest {
    private final Partitions partitions = new Partitions(Map.of("hot", 4));

    @Test
    void anUnconfiguredQueueIsItsOwnOnlyPartition() {
        assertEquals(1, partitions.of("q"));
        assertEquals("q", partitions.partitionOf("q", "any"));
        assertEquals(List.of("q"), partitions.all("q"));
        assertEquals(List.of(new Where("q", "q")), partitions.claimOrder(List.of("q")));
    }

    @Test
    void aTaskOfAPartitionedQueueGoesToThePartitionItsIdHashesTo() {
        assertEquals(4, partitions.of("hot"));
        for (String id : List.of("a", "b", "task-17", "\u00e9t\u00e9")) {
            String expected = "hot#" + Math.floorMod(id.hashCode(), 4);
            assertEquals(expected, partitions.partitionOf("hot", id));
            assertEquals(new Where("hot", expected), partitions.where("hot", id));
        }
        assertEquals(List.of("hot#0", "hot#1", "hot#2", "hot#3"), partitions.all("hot"));
    }

    @Test
    void claimsVisitEveryPartitionStartingAtTheNextOneEachTime() {
        List<Where> first = partitions.claimOrder(List.of("q", "hot"));
        List<Where> second = partitions.claimOrder(List.of("q", "hot"));
        assertEquals(new Where("q", "q"), first.get(0));
        assertEquals(5, first.size());
        Set<String> seen = new HashSet<>();
        first.subList(1, 5).forEach(w -> seen.add(w.physical()));
        assertEquals(Set.of("hot#0", "hot#1", "hot#2", "hot#3"), seen);
        assertNotEquals(first.get(1), second.get(1), "round-robin");
        int start = Integer.parseInt(first.get(1).physical().substring(4));
        for (int i = 0; i < 4; i++) {
            assertEquals("hot#" + (start + i) % 4, first.get(1 + i).physical(), "in partition order from the start");
        }
    }

    @Test
    void groupingKeepsFirstSeenOrder() {
        Map<Where, List<String>> g = Partitions.group(List.of("b", "a", "c"),
                s -> new Where("q", s.equals("c") ? "q#1" : "q#0"));
        assertEquals(List.of(new Where("q", "q#0"), new Where("q", "q#1")), List.copyOf(g.keySet()));
        assertEquals(List.of("b", "a"), g.get(new Where("q", "q#0")));
    }
}
