package io.taskq.redis.limits;

import io.taskq.contract.UniqueKeysTrim;
import io.taskq.redis.PerClassRedis;
import io.taskq.redis.RedisBroker;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The enqueue script's bounded cleanup of {@code {p:q}:uniq} (trim_uniques in enqueue.lua): each call that takes a
 * key checks 8 others at random and deletes those that no longer hold.
 */
class UniqueKeysTrimTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    @Test
    void keysOfClaimedTasksGoAsNewOnesCome() throws Exception {
        String prefix = "uq" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisBroker broker = RedisBroker.builder().uri(server.url()).keyPrefix(prefix).build()) {
            // 100 calls draw 800 of about 400 keys at random: nearly all 300 old ones go (a few may stay)
            UniqueKeysTrim.keysOfClaimedTasksGoAsNewOnesCome(broker, () -> {
                AtomicLong n = new AtomicLong();
                server.with(c -> n.set(c.hlen("{" + prefix + ":uq}:uniq")));
                return n.get();
            }, 160);
        }
    }
}
