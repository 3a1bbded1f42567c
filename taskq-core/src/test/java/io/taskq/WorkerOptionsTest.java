package io.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WorkerOptionsTest {

    @Test
    void prefetchIsOffByDefaultAndNeverNegative() {
        assertEquals(0, WorkerOptions.defaults().prefetch());
        assertEquals(4, WorkerOptions.builder().prefetch(4).build().prefetch());
        assertEquals(0, WorkerOptions.builder().prefetch(0).build().prefetch());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WorkerOptions.builder().prefetch(-1));
        assertEquals("prefetch must not be negative", e.getMessage());
    }
}
