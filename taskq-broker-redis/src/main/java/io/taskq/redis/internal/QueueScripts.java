package io.taskq.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.taskq.internal.IsoInstants;
import io.taskq.internal.JsonText;
import io.taskq.redis.internal.Scripts.Name;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A typed Java mirror of the queue scripts: one method per script (or script mode) that knows its KEYS and the order
 * of its ARGV, so that no other class spells a script's arguments. Each method returns the {@link Call}; {@link #run}
 * sends it. Every queue script takes the common arguments first ({@link #common}: time, queue, limits; see the
 * header of lib-state.lua), then its own. The enqueue script's arguments, built for the wire in bulk, are the
 * {@code Enqueuer}'s; it takes the common ones from here.
 */
public final class QueueScripts {
    private final Scripts scripts;
    private final Connections conns;
    private final Keys keys;
    private final BrokerConfig config;

    /**
     * One script call, ready to send.
     *
     * @param script the script
     * @param keys   its KEYS
     * @param args   its ARGV
     */
    public record Call(Name script, String[] keys, List<String> args) {
        /** The arguments as an array, as Lettuce takes them. */
        public String[] argv() {
            return args.toArray(new String[0]);
        }
    }

    /** Calls for a broker of {@code config}, sent with {@code scripts} over {@code conns} (null to only build). */
    public QueueScripts(Scripts scripts, Connections conns, Keys keys, BrokerConfig config) {
        this.scripts = scripts;
        this.conns = conns;
        this.keys = keys;
        this.config = config;
    }

    /** The script set the calls run with. */
    public Scripts scripts() {
        return scripts;
    }

    /** The key names. */
    public Keys keys() {
        return keys;
    }

    /** The time by the broker's clock, which the calls take as theirs. */
    public Instant now() {
        return config.clock().instant();
    }

    /**
     * The arguments every queue script starts with, in lib-state.lua's order: now (ms), now (ISO), queue, result TTL,
     * max redeliveries, dead-letter count and age limits, the final-state channel, the longest message.
     */
    public List<String> common(String queue) {
        Instant now = config.clock().instant();
        List<String> a = new ArrayList<>(16);
        a.add(Long.toString(now.toEpochMilli()));
        a.add(IsoInstants.format(now));
        a.add(queue);
        a.add(Long.toString(config.resultTtl().toMillis()));
        a.add(Integer.toString(config.maxRedeliveries()));
        a.add(Integer.toString(config.deadLetterMaxCount()));
        a.add(Long.toString(config.deadLetterMaxAge().toMillis()));
        a.add(keys.finalChannel());
        a.add(Integer.toString(config.maxMessageBytes()));
        return a;
    }

    private Call call(Name script, String queue, String physical, String... extra) {
        List<String> args = common(queue);
        args.addAll(List.of(extra));
        return new Call(script, keys.queue(physical), args);
    }

    /** claim: consumer, max, lease (ms), how many to mark started now, the fence ('' = none). */
    public Call claim(String queue, String physical, String consumer, int max, long leaseMs, int startNow,
                      String fence) {
        Call c = call(Name.CLAIM, queue, physical, consumer, Integer.toString(max), Long.toString(leaseMs),
                Integer.toString(startNow), fence);
        return new Call(c.script(), withLimits(c.keys(), physical), c.args());
    }

    /** started: the count, the start time, then id and token per delivery. */
    public Call started(String queue, String physical, Instant at, List<Delivery> deliveries) {
        Call c = call(Name.STARTED, queue, physical, Integer.toString(deliveries.size()), IsoInstants.format(at));
        addTokens(c.args(), deliveries);
        return c;
    }

    /** progress: id, token, the progress JSON. */
    public Call progress(String queue, String physical, Delivery d, String progressJson) {
        return call(Name.PROGRESS, queue, physical, d.id(), Long.toString(d.token()), progressJson);
    }

    /** renew: the count, the lease (ms), then id and token per delivery. */
    public Call renew(String queue, String physical, long leaseMs, List<Delivery> deliveries) {
        Call c = call(Name.RENEW, queue, physical, Integer.toString(deliveries.size()), Long.toString(leaseMs));
        addTokens(c.args(), deliveries);
        return c;
    }

    /** release: the count, then id and token per delivery. */
    public Call release(String queue, String physical, List<Delivery> deliveries) {
        Call c = call(Name.RELEASE, queue, physical, Integer.toString(deliveries.size()));
        addTokens(c.args(), deliveries);
        return c;
    }

    /** revoke: id, reason, how long a marker for an unknown id lives (ms). */
    public Call revoke(String queue, String physical, String id, String reason) {
        return call(Name.REVOKE, queue, physical, id, reason,
                Long.toString(config.revokeMarkerTtl().toMillis()));
    }

    /** resubmit: id, the new body ('' keeps the old one). */
    public Call resubmit(String queue, String physical, String id, String newBody) {
        return call(Name.RESUBMIT, queue, physical, id, newBody);
    }

    /** inspect: the mode ({@code stats}, {@code dead}, {@code deadone}, {@code purge}, ...) and its arguments. */
    public Call inspect(String queue, String physical, String... modeAndArgs) {
        return call(Name.INSPECT, queue, physical, modeAndArgs);
    }

    /** admin deadone: deletes the dead letter {@code id}; replies 1, or 0 if there was none. */
    public Call deleteDeadLetter(String queue, String physical, String id) {
        return call(Name.ADMIN, queue, physical, "deadone", id);
    }

    /** admin purge: deletes up to {@code limit} ready tasks (after promoting due ones); replies {removed, left}. */
    public Call purgeReady(String queue, String physical, int limit) {
        return call(Name.ADMIN, queue, physical, "purge", Integer.toString(limit));
    }

    /**
     * admin dead: one step of a dead-letter scan (see admin.lua): op {@code find} or {@code delete}, the time
     * bounds (epoch ms, inclusive; null for none), task and error type (null for any), the cursor (null to begin),
     * how many to read and most matches.
     */
    public Call deadScan(String queue, String physical, String op, Long fromMs, Long toMs, String task,
                         String errorType, Long cursorMs, String cursorId, int scan, int limit) {
        return call(Name.ADMIN, queue, physical, "dead", op, text(fromMs), text(toMs), task == null ? "" : task,
                errorType == null ? "" : errorType, cursorId == null ? "" : text(cursorMs),
                cursorId == null ? "" : cursorId, Integer.toString(scan), Integer.toString(limit));
    }

    private static String text(Long n) {
        return n == null ? "" : Long.toString(n);
    }

    /**
     * The claim part of finish-claim, after the start reports, outcomes and follow-ups: consumer ('' for none),
     * how many to claim, lease (ms), how many to mark started now, fence.
     *
     * @param consumer null for no claim
     */
    public record ClaimPart(String consumer, int want, long leaseMs, int startNow, String fence) {
        static final ClaimPart NONE = new ClaimPart(null, 0, 0, 0, "");
    }

    /** No claim in a finish-claim call. */
    public static ClaimPart noClaim() {
        return ClaimPart.NONE;
    }

    /**
     * finish-claim: the arguments of started (count, start time, id and token per delivery), then of finish (count,
     * then 7 per outcome: id, token, kind, record JSON, retry time, new body, reason), the follow-ups (see
     * {@link FollowUps}), then the {@link ClaimPart}. With follow-ups the KEYS are theirs (this queue's and every
     * other one they go to).
     */
    public Call finishClaim(String queue, String physical, List<Delivery> started, Instant startedAt,
                            List<Outcome> outcomes, FollowUps followUps, ClaimPart claim) {
        Call c = call(Name.FINISH_CLAIM, queue, physical, Integer.toString(started.size()),
                IsoInstants.format(startedAt));
        List<String> args = c.args();
        addTokens(args, started);
        addOutcomes(args, outcomes);
        args.addAll(followUps == null ? List.of("0") : followUps.args());
        args.add(claim.consumer() == null ? "" : claim.consumer());
        args.add(Integer.toString(Math.max(0, claim.want())));
        args.add(Long.toString(claim.leaseMs()));
        args.add(Integer.toString(Math.max(0, claim.startNow())));
        args.add(claim.fence());
        String[] ks = followUps == null ? c.keys() : followUps.keys();
        return new Call(c.script(), claim.consumer() == null ? ks : withLimits(ks, physical), args);
    }

    /** The keys with the queue's limits hash last, as the claim body takes it (hold_back in lib-claim.lua). */
    private String[] withLimits(String[] ks, String physical) {
        String[] out = Arrays.copyOf(ks, ks.length + 1);
        out[ks.length] = keys.limits(physical);
        return out;
    }

    /** lease (a named lease, not a queue script): KEYS the lease; ARGV op, now (ms), owner, ttl (ms). */
    public Call lease(String op, String name, String owner, long ttlMs) {
        return new Call(Name.LEASE, new String[] {keys.lease(name)},
                List.of(op, Long.toString(config.clock().millis()), owner, Long.toString(ttlMs)));
    }

    /** Runs a call (EVALSHA or FCALL, with the reloads of {@link Scripts#run}). */
    public <T> T run(Call c, ScriptOutputType type) {
        return scripts.run(conns, c.script(), type, c.keys(), c.argv());
    }

    private static void addTokens(List<String> args, List<Delivery> deliveries) {
        for (Delivery d : deliveries) {
            args.add(d.id());
            args.add(Long.toString(d.token()));
        }
    }

    private static void addOutcomes(List<String> args, List<Outcome> list) {
        args.add(Integer.toString(list.size()));
        for (Outcome o : list) {
            args.add(o.delivery().id());
            args.add(Long.toString(o.delivery().token()));
            args.add(switch (o.kind()) {
                case DONE -> "D";
                case RETRY -> "R";
                case DEAD -> "X";
            });
            args.add(o.record() == null ? "" : JsonText.record(o.record()));
            args.add(o.retryAt() == null ? "" : Long.toString(o.retryAt().toEpochMilli()));
            args.add(o.newBody() == null ? "" : o.newBody());
            args.add(o.reason() == null ? "" : o.reason());
        }
    }
}
