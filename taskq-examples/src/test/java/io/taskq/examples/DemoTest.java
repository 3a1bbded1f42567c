package io.taskq.examples;

import org.junit.jupiter.api.Test;

/** The README's demo command runs this main; it must keep working on the in-memory default. */
class DemoTest {
    @Test
    void demoRunsToTheEnd() {
        Demo.main(new String[0]);
    }
}
