package io.taskq.internal.worker;

import io.taskq.internal.InMemoryBroker;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.FinishAndClaim;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A broker whose claims and reports the test scripts and records: a claim takes the next scripted answer (tasks or
 * a failure) or waits for one up to its claim wait; a finish-and-claim answers with {@link #onFinish}. Every other
 * call goes to an in-memory broker that is never used.
 */
final class ScriptedBroker extends ForwardingBroker {

    /** One finishAndClaim call as the broker saw it. */
    record FinishCall(List<Delivery> started, List<Outcome> outcomes, ClaimRequest next) {
    }

    final List<ClaimRequest> claims = new CopyOnWriteArrayList<>();
    final List<FinishCall> finishCalls = new CopyOnWriteArrayList<>();
    final List<List<Delivery>> startMarks = new CopyOnWriteArrayList<>();
    final List<Delivery> released = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<Object> claimAnswers = new LinkedBlockingQueue<>();
    /** How a finishAndClaim call ends; by default every outcome is accepted and nothing claimed. */
    volatile Function<FinishCall, FinishAndClaim> onFinish =
            call -> new FinishAndClaim(Collections.nCopies(call.outcomes().size(), true), List.of());

    ScriptedBroker() {
        super(new InMemoryBroker(Clock.systemUTC()));
    }

    /** The next claim gets these tasks. */
    void answerClaim(List<Delivery> tasks) {
        claimAnswers.add(List.copyOf(tasks));
    }

    /** The next claim fails with this. */
    void failClaim(RuntimeException failure) {
        claimAnswers.add(failure);
    }

    static Delivery delivery(String id) {
        return new Delivery(id, "default", "noop", 0, "{}", 1, 1L);
    }

    @Override
    public List<Delivery> claim(ClaimRequest request) throws InterruptedException {
        claims.add(request);
        Object answer = claimAnswers.poll(request.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        if (answer instanceof RuntimeException e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        List<Delivery> tasks = answer == null ? List.of() : (List<Delivery>) answer;
        return tasks;
    }

    @Override
    public FinishAndClaim finishAndClaim(List<Delivery> started, Instant startedAt, List<Outcome> outcomes,
                                         ClaimRequest next) {
        FinishCall call = new FinishCall(List.copyOf(started), List.copyOf(outcomes), next);
        finishCalls.add(call);
        return onFinish.apply(call);
    }

    @Override
    public void markStarted(List<Delivery> deliveries, Instant at) {
        startMarks.add(new ArrayList<>(deliveries));
    }

    @Override
    public void release(List<Delivery> deliveries) {
        released.addAll(deliveries);
    }
}
