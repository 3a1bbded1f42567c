package io.taskq.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.scheduler.contract.ScheduleStoreContractTest;
import io.taskq.scheduler.spi.ScheduleStore;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The schedule store contract on the in-memory store, plus its audit trimming. */
class InMemoryScheduleStoreContractTest extends ScheduleStoreContractTest {
    @Override
    protected ScheduleStore newStore() {
        return new InMemoryScheduleStore();
    }

    @Test
    void auditIsTrimmedToCapacity() {
        ScheduleStore small = new InMemoryScheduleStore(3);
        OptionalLong v = small.write("a", "{}", ScheduleStore.ABSENT, audit("a", "add"));
        for (int i = 0; i < 5; i++) {
            v = small.write("a", "{}", v.getAsLong(), audit("a", "update-" + i));
        }
        assertEquals(3, small.audit(100).size());
        assertEquals("update-4", small.audit(1).get(0).action());
        small.close();
    }
}
