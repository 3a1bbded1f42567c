package io.taskq.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves task messages between clients and workers and keeps each task's state: the hot path. The administration
 * of queues (counts, listings, dead letters) is a capability of its own, {@link QueueAdmin}, reached through
 * {@link #queueAdmin()}.
 *
 * <p>Contract, shared by every implementation and checked by the contract test suite:
 * <ul>
 *   <li>At-least-once: a message stays in the broker from {@link #enqueue} until {@link #finishAndClaim} accepts
 *       its outcome. A claimed message whose lease expires becomes ready again (or is dead-lettered once it has been
 *       lost too often), so a worker that dies loses nothing.</li>
 *   <li>Fencing: every claim has a fresh token. {@link #renew}, {@link #markStarted} and the outcomes of
 *       {@link #finishAndClaim} with a stale token change nothing.</li>
 *   <li>Delays: a message with a future ETA is held by the broker (never in worker memory) and becomes ready at
 *       that time, exactly once.</li>
 *   <li>Order: within a queue, higher priority first, FIFO within a priority.</li>
 *   <li>Idempotent enqueue: an id that the queue already holds, or whose record is still kept, is not enqueued
 *       again.</li>
 *   <li>State: the broker writes {@link TaskRecord}s as part of its transitions (RECEIVED at claim, STARTED,
 *       and the outcome's record at finish), so that a fenced-off worker cannot overwrite a newer attempt's
 *       state. Records are read through a {@link ResultBackend} and expire after the broker's result
 *       retention.</li>
 * </ul>
 * All methods are thread-safe.
 */
public interface Broker extends AutoCloseable {

    /**
     * Enqueues messages, ready or delayed by their ETA.
     *
     * @return for each message, in order, true if it was enqueued and false if its id was already known
     */
    List<Boolean> enqueue(List<TaskMessage> messages);

    /**
     * Claims up to {@code request.max()} ready messages, trying queues in the given order, and leases each to the
     * consumer. Waits up to {@code request.maxWait()} when nothing is ready; returns an empty list then.
     * Records each claimed task as RECEIVED. A thread interrupted after tasks were claimed for it gets them, with
     * its interrupt status still set, so that it hands them back itself (a stopping worker counts what it hands
     * back) rather than leave them leased to nobody.
     *
     * @throws InterruptedException if the waiting thread is interrupted before anything was claimed for it
     */
    List<Delivery> claim(ClaimRequest request) throws InterruptedException;

    /**
     * Records that the claimed tasks started running (state STARTED). Stale claims are ignored. From then on a lost
     * lease of these claims counts against the task (see {@link ClaimRequest#startNow()}).
     */
    void markStarted(List<Delivery> deliveries, Instant at);

    /**
     * Stores the progress a running attempt reports ({@code TaskContext.updateState}) in its task's STARTED record
     * ({@link TaskRecord#progress()}), replacing the previous one. Only the current claim of a started task may
     * report: a stale claim (lease lost, task finished or revoked) changes nothing.
     *
     * @param progressJson the JSON text of {@code {"state":..,"at":..,"meta":..}}
     * @return true if stored; false if the claim is stale, or if this broker keeps no progress (the default)
     */
    default boolean reportProgress(Delivery delivery, String progressJson, Instant at) {
        return false;
    }

    /**
     * Extends the leases of running tasks by {@code lease} from now.
     *
     * @return the ids this consumer lost and the ids revoked meanwhile
     */
    RenewResult renew(String consumerId, List<Delivery> deliveries, java.time.Duration lease);

    /**
     * Reports starts and outcomes, and claims more work, in one call where the broker can (Redis: one script, one
     * round trip), so that a busy worker refills the slots of finished tasks without a separate claim. This is how
     * tasks finish: a worker without starts to report or slots to refill passes empty lists and a null request.
     *
     * <p>Effects are those of {@link #markStarted markStarted(started, startedAt)} (if {@code started} is not
     * empty), then the outcomes, then, if {@code next} is not null, {@link #claim claim(next)} without waiting
     * ({@code next.maxWait()} is ignored). Each outcome is fenced: it is accepted only if its delivery's token is
     * the task's current one and the lease has not expired; a stale outcome changes nothing. An accepted outcome
     * removes the message (DONE), puts it back delayed with its new body (RETRY) or moves it to the dead letters
     * (DEAD), and stores its record, in one step. A start report that cannot be stored is dropped (start reports are
     * informational); a failing finish throws; a failing claim after a successful finish yields no claimed tasks
     * (the worker's fetch loop claims again and reports the failure).
     *
     * @param started   claims that started running since the last report (may be empty)
     * @param startedAt when they started (one time for the batch)
     * @param outcomes  outcomes to finish (may be empty)
     * @param next      what to claim afterwards, or null to claim nothing
     * @return acceptance per outcome (true if accepted, false if its claim was stale) and the claimed deliveries
     * @throws RuntimeException if the outcomes could not be reported
     */
    FinishAndClaim finishAndClaim(List<Delivery> started, Instant startedAt, List<Outcome> outcomes,
                                  ClaimRequest next);

    /**
     * Hands claimed, unfinished tasks back (graceful shutdown). They become ready at once, and the claim does
     * not count as an attempt.
     */
    void release(List<Delivery> deliveries);

    /**
     * Revokes a task: removes it if it waits, signals its worker if it runs, remembers it if it is unknown (for the
     * broker's revoke marker retention, so that a task submitted later with this id is revoked on arrival). A
     * waiting chord member is not removed but marked with its end ({@code taskq_end} header, see
     * docs/workflows.md#members-the-broker-ends) and left for a worker to end it, which joins the chord
     * ({@link RevokeResult#SIGNALLED}); a broker ends a chord member whose leases it takes back the same way.
     */
    RevokeResult revoke(String queue, String id, String reason);

    /**
     * Finds tasks by id alone, in every queue of this broker's namespace ({@link QueueAdmin#queues()}): for each id some queue
     * knows (queued, delayed, running, a kept record, a dead letter), where it is. Ids no queue knows are left out
     * of the map. Meant for handles made from an id and for dashboards; the work is one bounded call per queue per
     * batch of ids.
     *
     * @throws UnsupportedOperationException if the broker cannot look tasks up by id
     */
    default Map<String, TaskLocation> locate(Collection<String> ids) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot look tasks up by id");
    }

    /**
     * Like {@link #locate(Collection)}, in one queue only.
     *
     * @throws UnsupportedOperationException if the broker cannot look tasks up by id
     */
    default Map<String, TaskLocation> locate(String queue, Collection<String> ids) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot look tasks up by id");
    }

    /**
     * Why this broker could not enqueue a message for {@code toId} in {@code toQueue} as a follow-up of the outcome
     * of {@code fromId} in {@code fromQueue} ({@link Outcome#followUps()}), or empty if it can. Taskq asks before it
     * submits a workflow (refusing the submit) and before a worker sends an outcome with follow-ups (dead-lettering
     * the task with the reason instead of sending a call the broker would refuse). By default any follow-up can go;
     * Redis Cluster needs both in one hash slot.
     */
    default Optional<String> followUpRefusal(String fromQueue, String fromId, String toQueue, String toId) {
        return Optional.empty();
    }

    /**
     * Why this broker cannot enforce limits ({@code limits} header, docs/limits.md) on tasks sent to {@code queue},
     * or empty if it can. Taskq asks before it submits a workflow whose follow-up would be limited (refusing the
     * submit) and before a worker sends a limited follow-up (dead-lettering the task with the reason), as the
     * broker's enqueue refuses a limited task there. By default every queue can; a partitioned Redis queue cannot.
     */
    default Optional<String> limitsRefusal(String queue) {
        return Optional.empty();
    }

    /**
     * Why this broker cannot run chords ({@link Outcome#chordJoin()}), or empty if it can. Taskq asks before it
     * submits a chord, and a worker before it sends a chord member's outcome (dead-lettering the member with the
     * reason instead of an outcome whose join would be ignored). By default a broker runs none.
     */
    default Optional<String> chordRefusal() {
        return Optional.of(getClass().getName() + " runs no chords");
    }

    /**
     * The administration of this broker's queues (counts, listings, dead letters), if it offers one. Wrappers
     * ({@link ForwardingBroker}) pass the wrapped broker's on. {@code Taskq} uses it for its {@code stats},
     * {@code deadLetters} and similar calls unless {@code Taskq.Builder.queueAdmin} sets another one.
     *
     * @return the administration, or empty if this broker offers none (the default)
     */
    default Optional<QueueAdmin> queueAdmin() {
        return Optional.empty();
    }

    /**
     * Where this broker keeps task records ({@code Taskq} reads results and states there unless
     * {@code Taskq.Builder.resultBackend} sets another). The in-memory and Redis brokers return themselves.
     *
     * @return the result backend, or empty if this broker keeps none (the default)
     */
    default Optional<ResultBackend> resultBackend() {
        return Optional.empty();
    }

    /**
     * The named leases this broker offers (the scheduler elects its leader with them unless given others). The
     * in-memory and Redis brokers return themselves.
     *
     * @return the leases, or empty if this broker offers none (the default)
     */
    default Optional<Leases> leases() {
        return Optional.empty();
    }

    /**
     * The event stream this broker keeps for its namespace ({@code Taskq.events()} reads it, and taskq's own
     * publisher appends to it).
     *
     * @return the event log, or empty if this broker keeps none (the default)
     */
    default Optional<EventLog> eventLog() {
        return Optional.empty();
    }

    /**
     * The registry of the live workers of this broker's namespace: workers heartbeat into it and
     * {@code Taskq.workers()} lists it.
     *
     * @return the registry, or empty if this broker keeps none (the default): workers then send no heartbeats
     */
    default Optional<WorkerRegistry> workerRegistry() {
        return Optional.empty();
    }

    /**
     * Remote control of the workers of this broker's namespace, across processes: {@code Taskq.control()} sends
     * commands on it and each taskq with workers listens to it.
     *
     * @return the control bus, or empty if this broker offers none (the default): remote control is then unavailable
     */
    default Optional<ControlBus> controlBus() {
        return Optional.empty();
    }

    /**
     * The id of the task that holds a uniqueness key in a queue (docs/limits.md#unique-tasks): asked after
     * {@link #enqueue} declined a unique message, so that the submit answers with the existing task's handle. A broker
     * that enforces limits enforces uniqueness in its enqueue: a message whose {@code limits} header names a key
     * another live task of the queue holds is not enqueued ({@code false}).
     *
     * @return the holder's id, or empty if nobody holds the key now (or this broker keeps no uniqueness: the default)
     */
    default Optional<String> uniqueHolder(String queue, String key) {
        return Optional.empty();
    }

    /**
     * Run-time changes of the limits tasks are declared with; the broker enforces the limits that messages carry
     * (the {@code limits} header, see docs/limits.md) in its claim.
     *
     * @return the store, or empty if this broker enforces no limits (the default): limited tasks then run unlimited
     */
    default Optional<LimitStore> limitStore() {
        return Optional.empty();
    }

    /**
     * Whether {@code failure}, thrown by one of this broker's calls, may pass if the same call is made again: a
     * timeout, a lost connection, a server still loading or without its master. Such a call may also have taken
     * effect before it failed (a reply lost after the command ran). Refusals that repeat (authentication, ACL
     * permissions, a script error, bad input) are not transient. By default nothing is.
     */
    default boolean isTransient(RuntimeException failure) {
        return false;
    }

    /** Releases resources; further calls fail. */
    @Override
    void close();
}
