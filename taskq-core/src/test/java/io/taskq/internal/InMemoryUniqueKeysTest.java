package io.taskq.internal;

import io.taskq.contract.MutableClock;
import io.taskq.contract.UniqueKeysTrim;
import org.junit.jupiter.api.Test;

/** The in-memory broker forgets uniqueness keys that no longer hold, a bounded number per key taken. */
class InMemoryUniqueKeysTest {
    @Test
    void keysOfClaimedTasksGoAsNewOnesCome() throws Exception {
        try (InMemoryBroker b = new InMemoryBroker(new MutableClock())) {
            // each key taken checks the 8 checked longest ago: 100 of them check all 300 old ones
            UniqueKeysTrim.keysOfClaimedTasksGoAsNewOnesCome(b, () -> b.uniqueKeys("uq"), 100);
        }
    }
}
