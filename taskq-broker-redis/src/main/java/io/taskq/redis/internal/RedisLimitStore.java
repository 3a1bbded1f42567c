package io.taskq.redis.internal;

import io.taskq.RateLimit;
import io.taskq.internal.LimitSpec;
import io.taskq.spi.LimitStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limits' run-time values on Redis (docs/limits.md): the claim reads them from each queue's limits hash
 * ({@link Keys#limits}, in the queue's slot), so a change is written to every listed queue, and to the prefix's
 * {@code {p}:limits} hash, the record of what is in force, which a queue listed later copies when this broker lists it
 * ({@link #copyTo}). Fields: {@code o|<name>} = {@code permits|periodMs|burst}, {@code m|<name>} = the maximum of
 * running tasks, names percent-encoded as in the limits header.
 */
public final class RedisLimitStore implements LimitStore {
    private final Connections conns;
    private final Keys keys;
    private final QueueRegistry registry;

    /** The store of {@code keys}' prefix, writing to the queues {@code registry} lists. */
    public RedisLimitStore(Connections conns, Keys keys, QueueRegistry registry) {
        this.conns = conns;
        this.keys = keys;
        this.registry = registry;
    }

    private String global() {
        return keys.limitOverrides();
    }

    @Override
    public void setRate(String name, RateLimit rate) {
        write("o|" + LimitSpec.encode(name),
                rate.permits() + "|" + rate.period().toMillis() + "|" + rate.burst());
    }

    @Override
    public void setConcurrency(String name, int maxRunning) {
        if (maxRunning < 1) {
            throw new IllegalArgumentException("maxRunning must be at least 1");
        }
        write("m|" + LimitSpec.encode(name), Integer.toString(maxRunning));
    }

    @Override
    public void clear(String name) {
        String[] fields = {"o|" + LimitSpec.encode(name), "m|" + LimitSpec.encode(name)};
        conns.commands().hdel(global(), fields);
        registry.all().forEach((q, n) -> {
            for (int k = 0; k < n; k++) {
                conns.commands().hdel(keys.limits(physical(q, k, n)), fields);
            }
        });
    }

    @Override
    public Map<String, Setting> overrides() {
        Map<String, RateLimit> rates = new LinkedHashMap<>();
        Map<String, Integer> maxima = new LinkedHashMap<>();
        conns.commands().hgetall(global()).forEach((f, v) -> {
            if (f.length() < 3) {
                return;
            }
            String name = LimitSpec.decode(f.substring(2));
            try {
                if (f.startsWith("o|")) {
                    String[] p = v.split("\\|");
                    rates.put(name, new RateLimit(Long.parseLong(p[0]), Duration.ofMillis(Long.parseLong(p[1])),
                            Integer.parseInt(p[2])));
                } else if (f.startsWith("m|")) {
                    maxima.put(name, Integer.parseInt(v));
                }
            } catch (RuntimeException e) {
                // written by hand: not a value in force for the claim either way; left out
            }
        });
        Map<String, Setting> out = new LinkedHashMap<>();
        for (String name : rates.keySet()) {
            out.put(name, new Setting(rates.get(name), maxima.getOrDefault(name, 0)));
        }
        maxima.forEach((name, m) -> out.putIfAbsent(name, new Setting(null, m)));
        return out;
    }

    /** Copies the values in force to a queue's partitions, when this broker lists the queue. */
    public void copyTo(String queue, int partitions) {
        Map<String, String> all = conns.commands().hgetall(global());
        if (all.isEmpty()) {
            return;
        }
        for (int k = 0; k < partitions; k++) {
            conns.commands().hset(keys.limits(physical(queue, k, partitions)), all);
        }
    }

    private void write(String field, String value) {
        conns.commands().hset(global(), field, value);
        registry.all().forEach((q, n) -> {
            for (int k = 0; k < n; k++) {
                conns.commands().hset(keys.limits(physical(q, k, n)), field, value);
            }
        });
    }

    private static String physical(String queue, int k, int partitions) {
        return partitions == 1 ? queue : queue + "#" + k;
    }
}
