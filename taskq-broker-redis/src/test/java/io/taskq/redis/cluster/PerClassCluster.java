package io.taskq.redis.cluster;

import io.taskq.redis.RedisBroker;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A 3-master Redis Cluster for the tests of one class, as a JUnit extension: {@code @RegisterExtension static final
 * PerClassCluster cluster = new PerClassCluster();} starts it ({@link LocalCluster#start}) before the class's first
 * test and stops it after its last.
 */
public final class PerClassCluster implements BeforeAllCallback, AfterAllCallback {
    private volatile LocalCluster cluster;

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster = LocalCluster.start(3, 0);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        LocalCluster c = cluster;
        cluster = null;
        if (c != null) {
            c.close();
        }
    }

    /** The seed nodes, for a Cluster client. */
    public String[] seeds() {
        LocalCluster c = cluster;
        if (c == null) {
            throw new IllegalStateException("no Cluster outside the tests of the class that registered it");
        }
        return c.seeds();
    }

    /** A new key prefix for a test of its own (so tests of one class never see each other's keys). */
    public static String newPrefix(String letter) {
        return letter + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A broker on this cluster under a key prefix of its own, with whatever {@code more} sets. */
    public RedisBroker broker(UnaryOperator<RedisBroker.Builder> more) {
        return more.apply(RedisBroker.builder().cluster(seeds()).keyPrefix(newPrefix("c"))).build();
    }
}
