package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.taskq.contract.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The in-memory broker forgets expired revoke markers a bounded number per revoke, as the Redis broker does. */
class InMemoryRevokeMarkerTest {
    @Test
    void expiredMarkersAreTrimmedByLaterRevokes() {
        MutableClock clock = new MutableClock();
        try (InMemoryBroker b = new InMemoryBroker(clock)) {
            for (int i = 0; i < 250; i++) {
                b.revoke("q", "ghost-" + i, "never comes");
            }
            assertEquals(250, b.revokeMarkers("q"));
            clock.advance(Duration.ofHours(24));
            for (int i = 0; i < 3; i++) {
                b.revoke("q", "new-" + i, "x");
            }
            assertEquals(3, b.revokeMarkers("q"));
        }
    }
}
