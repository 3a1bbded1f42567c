package io.taskq.internal;

import io.taskq.WorkerInfo;
import io.taskq.spi.ControlBus;
import io.taskq.spi.ControlCommand;
import io.taskq.spi.WorkerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requester's side of remote control: sends one command on the {@link ControlBus} and collects the replies
 * until its timeout, or sooner once every destination replied (named destinations: each id or node name; all
 * workers: each worker the registry lists when the command is sent, if there is a registry).
 */
public final class ControlCalls {
    private static final Logger log = LoggerFactory.getLogger(ControlCalls.class);

    private final ControlBus bus;
    /** Null when the broker keeps none: a command to all workers then always waits its timeout. */
    private final WorkerRegistry registry;
    private final Clock clock;

    /** Calls over {@code bus}; {@code registry} (or null) tells whom a command to all workers waits for. */
    public ControlCalls(ControlBus bus, WorkerRegistry registry, Clock clock) {
        this.bus = bus;
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * Sends {@code name} with {@code args} to {@code destination} (empty: every worker) and returns the replies by
     * worker id, in the order they came. An interrupt ends the wait early (the interrupt status stays set).
     */
    public Map<String, ControlMessages.Reply> call(String name, Map<String, ?> args, List<String> destination,
                                                   Duration timeout) {
        Set<String> expected = destination.isEmpty() ? listedWorkers() : null;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ControlCommand command = new ControlCommand(UUID.randomUUID().toString(), name, destination,
                ControlMessages.arguments(args), now, now.plus(timeout));
        long deadline = System.nanoTime() + timeout.toNanos();
        bus.send(command);
        Map<String, ControlMessages.Reply> replies = new LinkedHashMap<>();
        while (!complete(replies, destination, expected)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            String text;
            try {
                text = bus.awaitReply(command.id(), Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (text == null) {
                break;
            }
            try {
                for (ControlMessages.Reply r : ControlMessages.readReplies(text)) {
                    replies.putIfAbsent(r.workerId(), r);
                }
            } catch (IllegalArgumentException e) {
                log.debug("control command {}: a reply cannot be read, skipped: {}", command.id(), e.getMessage());
            }
        }
        return replies;
    }

    /** The ids of the workers the registry lists now, or null if there is no registry (or it failed). */
    private Set<String> listedWorkers() {
        if (registry == null) {
            return null;
        }
        try {
            return registry.live().stream().map(WorkerInfo::id).collect(Collectors.toSet());
        } catch (RuntimeException e) {
            log.debug("control: the worker registry cannot be listed, waiting the whole timeout: {}", e.toString());
            return null;
        }
    }

    private static boolean complete(Map<String, ControlMessages.Reply> replies, List<String> destination,
                                    Set<String> expected) {
        if (destination.isEmpty()) {
            return expected != null && !expected.isEmpty() && replies.keySet().containsAll(expected);
        }
        List<ControlMessages.Reply> got = new ArrayList<>(replies.values());
        for (String d : destination) {
            if (got.stream().noneMatch(r -> r.workerId().equals(d) || r.nodeName().equals(d))) {
                return false;
            }
        }
        return true;
    }
}
