package io.taskq.redis.fault;

import io.taskq.spi.Broker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test only: a broker that SIGKILLs its own JVM at a precise point of the {@code killAt}-th report carrying chord
 * joins ({@link ChordCrashTest}): {@code join} after the joins reached Redis but before the finishes (its outcomes
 * are sent once with a stale token, so only the joins take effect), {@code finish} right after the finish returned,
 * {@code during} while the call is in flight (the kill races the joins and the finish), {@code before} before the
 * call is sent. A mode ending in {@code -failure} counts only the reports that carry a failed member's join.
 */
final class ChordKillBroker extends ForwardingBroker {
    private final String mode;
    private final int killAt;
    private final AtomicInteger reports = new AtomicInteger();

    private final boolean failuresOnly;

    ChordKillBroker(Broker delegate, String mode, int killAt) {
        super(delegate);
        this.failuresOnly = mode.endsWith("-failure");
        this.mode = failuresOnly ? mode.substring(0, mode.length() - "-failure".length()) : mode;
        this.killAt = killAt;
    }

    @Override
    public FinishAndClaim finishAndClaim(List<Delivery> started, Instant startedAt, List<Outcome> outcomes,
                                         ClaimRequest next) {
        boolean joins = outcomes.stream().anyMatch(o -> o.chordJoin() != null
                && !(failuresOnly && o.chordJoin().succeeded()));
        if (!joins || reports.incrementAndGet() != killAt) {
            return super.finishAndClaim(started, startedAt, outcomes, next);
        }
        switch (mode) {
            case "join" -> {
                List<Outcome> stale = new ArrayList<>();
                for (Outcome o : outcomes) {
                    Delivery d = o.delivery();
                    stale.add(new Outcome(new Delivery(d.id(), d.queue(), d.task(), d.priority(), d.body(),
                            d.attempt(), -1), o.kind(), o.record(), o.retryAt(), o.newBody(), o.reason(),
                            List.of(), o.chordJoin()));
                }
                super.finishAndClaim(List.of(), startedAt, stale, null);
                killSelf(true);
            }
            case "before" -> killSelf(true);
            case "finish" -> {
                super.finishAndClaim(started, startedAt, outcomes, null);
                killSelf(true);
            }
            default -> {
                killSelf(false);
                super.finishAndClaim(started, startedAt, outcomes, next);
                killSelf(true);
            }
        }
        throw new IllegalStateException("not reached");
    }

    /** SIGKILL to this JVM; waits for it unless {@code async} is false (the kill then races the caller). */
    static void killSelf(boolean wait) {
        try {
            Process p = new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start();
            if (wait) {
                p.waitFor();
                Thread.sleep(60_000);
            }
        } catch (Exception e) {
            Runtime.getRuntime().halt(137);
        }
    }
}
