package io.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WorkerOptionsTest {

    @Test
    void prefetchIsAdaptiveByDefaultUpToTheConcurrencyAndNeverNegative() {
        assertTrue(WorkerOptions.defaults().adaptivePrefetch());
        assertEquals(8, WorkerOptions.defaults().prefetch());
        assertEquals(3, WorkerOptions.builder().concurrency(3).build().prefetch());
        assertEquals(4, WorkerOptions.builder().prefetch(4).build().prefetch());
        assertFalse(WorkerOptions.builder().prefetch(4).build().adaptivePrefetch());
        assertEquals(0, WorkerOptions.builder().prefetch(0).build().prefetch());
        assertTrue(WorkerOptions.builder().prefetch(0).adaptivePrefetch().build().adaptivePrefetch());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerOptions.builder().prefetch(-1));
        assertEquals("prefetch must not be negative", e.getMessage());
    }

    @Test
    void theRegistryOptionsHaveDefaultsAndBounds() {
        assertEquals(java.time.Duration.ofSeconds(5), WorkerOptions.defaults().heartbeatInterval());
        assertEquals(null, WorkerOptions.defaults().nodeName(), "the process's name, filled in by the worker");
        assertEquals("emails@web-3", WorkerOptions.builder().nodeName("emails@web-3").build().nodeName());
        assertThrows(IllegalArgumentException.class, () -> WorkerOptions.builder().nodeName(" "));
        assertThrows(IllegalArgumentException.class,
                () -> WorkerOptions.builder().heartbeatInterval(java.time.Duration.ofMillis(99)));
    }
}
