package io.taskq.redis.internal;

import io.lettuce.core.ScriptOutputType;
import io.taskq.redis.internal.Partitions.Where;
import io.taskq.redis.internal.QueueScripts.ClaimPart;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.Outcome;
import io.taskq.spi.RenewResult;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to claimed tasks: start reports (coalesced across threads), lease renewals, outcomes with the claim
 * for the freed slots ({@code finish-claim}), hand-backs and revokes; one script per queue (partition) touched.
 * Thread-safe.
 */
public final class Finisher {
    private static final Logger log = LoggerFactory.getLogger(Finisher.class);

    private final QueueScripts calls;
    private final Connections conns;
    private final Partitions partitions;
    private final QueueRegistry registry;
    private final Claimer claimer;
    private final int maxMessageBytes;
    private final Coalescer<Started, Boolean> starts;
    private final ChordJoinCalls chordJoins;

    private record Started(Delivery delivery, Instant at) {
    }

    /** A finisher for one broker; claims for freed slots go by {@code claimer}'s order and fences. */
    public Finisher(QueueScripts calls, Connections conns, Partitions partitions, QueueRegistry registry,
                    Claimer claimer, int maxMessageBytes) {
        this.calls = calls;
        this.conns = conns;
        this.partitions = partitions;
        this.registry = registry;
        this.claimer = claimer;
        this.maxMessageBytes = maxMessageBytes;
        this.starts = new Coalescer<>(this::startedBatch, 512);
        this.chordJoins = new ChordJoinCalls(calls, conns, partitions, registry);
    }

    private Where where(Delivery d) {
        return partitions.where(d.queue(), d.id());
    }

    /** Marks deliveries started; concurrent calls are merged into one script call per queue. */
    public void markStarted(List<Delivery> deliveries, Instant at) {
        if (deliveries.isEmpty()) {
            return;
        }
        List<Started> items = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            items.add(new Started(d, at));
        }
        starts.submit(items);
    }

    private List<Boolean> startedBatch(List<Started> items) {
        for (Map.Entry<Where, List<Started>> g : Partitions.group(items, s -> where(s.delivery())).entrySet()) {
            List<Delivery> ds = g.getValue().stream().map(Started::delivery).toList();
            calls.run(calls.started(g.getKey().queue(), g.getKey().physical(), g.getValue().get(0).at(), ds),
                    ScriptOutputType.INTEGER);
        }
        return Collections.nCopies(items.size(), Boolean.TRUE);
    }

    /** Stores a running attempt's progress; false if its claim is stale or the task is not STARTED. */
    public boolean reportProgress(Delivery d, String progressJson) {
        Where w = where(d);
        Object stored = calls.run(calls.progress(w.queue(), w.physical(), d, progressJson), ScriptOutputType.INTEGER);
        return stored instanceof Long n && n == 1L;
    }

    /** Extends leases; reports the ones lost and the tasks revoked meanwhile. */
    public RenewResult renew(List<Delivery> deliveries, long leaseMs) {
        Set<String> lost = new HashSet<>();
        Set<String> revoked = new HashSet<>();
        for (Map.Entry<Where, List<Delivery>> g : Partitions.group(deliveries, this::where).entrySet()) {
            List<Object> r = calls.run(calls.renew(g.getKey().queue(), g.getKey().physical(), leaseMs, g.getValue()),
                    ScriptOutputType.MULTI);
            for (Object o : (List<?>) r.get(0)) {
                lost.add((String) o);
            }
            for (Object o : (List<?>) r.get(1)) {
                revoked.add((String) o);
            }
        }
        return new RenewResult(lost, revoked);
    }

    /**
     * One script per queue (partition) touched: the start reports and outcomes of that queue, and the claim for
     * the freed slots is made in the first queue of the claim order within the same script, further queues in
     * their order only if it did not fill the slots.
     */
    public FinishAndClaim finishAndClaim(List<Delivery> started, Instant startedAt, List<Outcome> outcomes,
                                         ClaimRequest next) {
        Map<Where, List<Delivery>> startGroups = Partitions.group(started, this::where);
        Map<Where, List<Outcome>> outcomeGroups = Partitions.group(outcomes, o -> where(o.delivery()));
        if (next != null && claimer.waitingOnMarkers(next.consumerId())) {
            next = null; // its fetch loop waits on the markers: see Claimer.markerWaits
        }
        List<Where> order = new ArrayList<>();
        if (next != null) {
            order.addAll(partitions.claimOrder(next.queues()));
        }
        for (Where w : outcomeGroups.keySet()) {
            if (!order.contains(w)) {
                order.add(w);
            }
        }
        for (Where w : startGroups.keySet()) {
            if (!order.contains(w)) {
                order.add(w);
            }
        }
        Map<Where, FollowUps> followUps = followUps(outcomeGroups); // checked before anything is sent
        chordJoins.send(outcomes); // before the finishes: a crash between re-runs the member, whose join is a no-op
        Map<Outcome, Boolean> accepted = new IdentityHashMap<>();
        List<Delivery> claimed = new ArrayList<>();
        RuntimeException failure = null;
        for (Where w : order) {
            List<Delivery> st = startGroups.getOrDefault(w, List.of());
            List<Outcome> oc = outcomeGroups.getOrDefault(w, List.of());
            int want = next == null ? 0 : next.max() - claimed.size();
            if (st.isEmpty() && oc.isEmpty() && want <= 0) {
                continue;
            }
            try {
                List<Object> r = calls.run(calls.finishClaim(w.queue(), w.physical(), st, startedAt, oc,
                        followUps.get(w), claimPart(next, want, claimed.size())), ScriptOutputType.MULTI);
                List<?> acc = (List<?>) r.get(0);
                for (int i = 0; i < oc.size(); i++) {
                    accepted.put(oc.get(i), ((Long) acc.get(i)) == 1L);
                }
                Claimer.readClaim(w.queue(), (List<?>) r.get(1), claimed);
            } catch (RuntimeException e) {
                if (!oc.isEmpty() && failure == null) {
                    failure = e;
                }
                // Only a claim (or start reports) failed here: the outcomes of other queues stand.
            }
        }
        if (failure != null) {
            handBack(claimed);
            throw failure;
        }
        List<Boolean> out = new ArrayList<>(outcomes.size());
        for (Outcome o : outcomes) {
            out.add(accepted.get(o));
        }
        return new FinishAndClaim(out, claimed);
    }

    private ClaimPart claimPart(ClaimRequest next, int want, int claimedSoFar) {
        if (next == null) {
            return QueueScripts.noClaim();
        }
        return new ClaimPart(next.consumerId(), want, next.lease().toMillis(),
                Math.min(want, next.startNow() - claimedSoFar), claimer.fence().forCall());
    }

    /** Tasks claimed along with outcomes that then failed go back: the caller sees the failure, not the tasks. */
    private void handBack(List<Delivery> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        try {
            release(claimed);
        } catch (RuntimeException re) {
            log.debug("hand-back after a failed report failed; leases will expire: {}", re.toString());
        }
    }

    /**
     * The follow-ups of each queue's outcomes (see FollowUps), checked (size; on a Cluster, the slot), their queues
     * registered; queues whose outcomes have none are left out.
     */
    private Map<Where, FollowUps> followUps(Map<Where, List<Outcome>> outcomeGroups) {
        Map<Where, FollowUps> out = new LinkedHashMap<>();
        for (Map.Entry<Where, List<Outcome>> g : outcomeGroups.entrySet()) {
            if (g.getValue().stream().allMatch(o -> o.followUps().isEmpty())) {
                continue;
            }
            out.put(g.getKey(), FollowUps.of(g.getValue(), g.getKey().physical(), calls.keys(), conns,
                    m -> partitions.partitionOf(m.queue(), m.id()), maxMessageBytes));
        }
        for (List<Outcome> list : outcomeGroups.values()) {
            for (Outcome o : list) {
                for (TaskMessage m : o.followUps()) {
                    registry.register(m.queue(), partitions.of(m.queue())); // listed before its first task
                }
            }
        }
        return out;
    }

    /** Hands claims back to their queues. */
    public void release(List<Delivery> deliveries) {
        for (Map.Entry<Where, List<Delivery>> g : Partitions.group(deliveries, this::where).entrySet()) {
            calls.run(calls.release(g.getKey().queue(), g.getKey().physical(), g.getValue()),
                    ScriptOutputType.INTEGER);
        }
    }

    /** Revokes one task. */
    public RevokeResult revoke(String queue, String id, String reason) {
        String r = calls.run(calls.revoke(queue, partitions.partitionOf(queue, id), id,
                reason == null ? "revoked" : reason), ScriptOutputType.VALUE);
        return RevokeResult.valueOf(r);
    }
}
