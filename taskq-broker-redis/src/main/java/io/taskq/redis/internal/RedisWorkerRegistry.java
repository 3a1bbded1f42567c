package io.taskq.redis.internal;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.taskq.WorkerInfo;
import io.taskq.spi.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker registry on Redis: one key per worker, {@code {<prefix>}:worker:<id>} (its JSON entry, expiring with
 * the heartbeat's time to live), and an index, the ZSET {@code {<prefix>}:workers} (id → expiry, epoch ms by the
 * broker's clock), so that listing reads the live part of the index and the entries it names, in two round trips,
 * without SCAN. Every key sits under the prefix's hash tag: one Cluster slot. Plain commands, no script: nothing here
 * needs more than one key changed at once (a heartbeat writes the entry first, so the index never names a worker
 * whose entry was not written), and they are all in the ACL that the queues need already.
 */
public final class RedisWorkerRegistry implements WorkerRegistry {
    private static final Logger log = LoggerFactory.getLogger(RedisWorkerRegistry.class);
    /** Expired index entries removed per listing: the index shrinks a bounded amount per call. */
    private static final int CLEAN_PER_LISTING = 100;

    private final Connections conns;
    private final Keys keys;
    private final Clock clock;
    private final Runnable checkOpen;

    /** The registry of {@code keys}' prefix, timed by {@code clock}; {@code checkOpen} refuses calls once closed. */
    public RedisWorkerRegistry(Connections conns, Keys keys, Clock clock, Runnable checkOpen) {
        this.conns = conns;
        this.keys = keys;
        this.clock = clock;
        this.checkOpen = checkOpen;
    }

    @Override
    public void heartbeat(WorkerInfo info, Duration ttl) {
        checkOpen.run();
        long ms = Math.max(1, ttl.toMillis());
        String entry = WorkerEntryCodec.encode(info);
        write(c -> {
            c.set(keys.worker(info.id()), entry, SetArgs.Builder.px(ms));
            c.zadd(keys.workers(), (double) (clock.millis() + ms), info.id());
        });
    }

    @Override
    public void remove(String workerId) {
        checkOpen.run();
        write(c -> {
            c.del(keys.worker(workerId));
            c.zrem(keys.workers(), workerId);
        });
    }

    /**
     * The live part of the index, then every entry it names (pipelined); entries gone meanwhile (expired, removed)
     * or unreadable are left out. Index entries whose expiry passed are removed on the way: if that worker
     * heartbeats again in between, its next heartbeat lists it again.
     */
    @Override
    public List<WorkerInfo> live() {
        checkOpen.run();
        RedisClusterCommands<String, String> c = conns.commands();
        long now = clock.millis();
        List<String> expired = c.zrangebyscore(keys.workers(),
                Range.from(Range.Boundary.unbounded(), Range.Boundary.including(now)),
                Limit.create(0, CLEAN_PER_LISTING));
        if (!expired.isEmpty()) {
            c.zrem(keys.workers(), expired.toArray(String[]::new));
        }
        List<String> ids = c.zrangebyscore(keys.workers(),
                Range.from(Range.Boundary.excluding(now), Range.Boundary.unbounded()), Limit.create(0, MAX_LISTED));
        RedisClusterAsyncCommands<String, String> a = conns.async();
        List<RedisFuture<String>> replies = new ArrayList<>(ids.size());
        for (String id : ids) {
            replies.add(a.get(keys.worker(id)));
        }
        List<WorkerInfo> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String json = Scripts.await(replies.get(i).toCompletableFuture());
            if (json == null) {
                continue;
            }
            try {
                out.add(WorkerEntryCodec.decode(json));
            } catch (IllegalArgumentException e) {
                log.debug("worker registry: the entry of {} cannot be read, skipped: {}", ids.get(i), e.getMessage());
            }
        }
        return out;
    }

    /** A write, sent once more after READONLY (a demoted master under Sentinel: the connection finds the new one). */
    private void write(Consumer<RedisClusterCommands<String, String>> body) {
        try {
            body.accept(conns.commands());
        } catch (RedisCommandExecutionException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("READONLY")) {
                throw e;
            }
            conns.readOnly();
            body.accept(conns.commands());
        }
    }
}
