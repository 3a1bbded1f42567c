package io.taskq.internal.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskq.internal.ControlMessages;
import io.taskq.spi.ControlBus;
import io.taskq.spi.ControlCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers' side of remote control, one per taskq: listens to the {@link ControlBus}, runs each command against
 * the local workers it is for, and puts their replies as one batch under the command's id. A command whose expiry
 * passed is ignored (its requester stopped waiting); one it does not know (a newer version's) gets an error reply
 * from each worker; a command that fails on a worker gets that worker's error. Runs on the bus's thread: every
 * command returns at once ({@code shutdown} closes the worker on a thread of its own).
 */
public final class ControlResponder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlResponder.class);
    /** How long a reply is kept after its command's expiry, for a requester whose clock is behind. */
    private static final Duration REPLY_KEPT_AFTER_EXPIRY = Duration.ofSeconds(10);

    private final ControlBus bus;
    private final Supplier<List<WorkerEngine>> workers;
    private final Supplier<Set<String>> taskNames;
    private final Clock clock;
    private volatile ControlBus.Subscription subscription;

    /**
     * @param workers   the local workers now (closing ones are skipped)
     * @param taskNames the tasks registered here
     */
    public ControlResponder(ControlBus bus, Supplier<List<WorkerEngine>> workers, Supplier<Set<String>> taskNames,
                            Clock clock) {
        this.bus = bus;
        this.workers = workers;
        this.taskNames = taskNames;
        this.clock = clock;
    }

    /** Starts listening: commands sent from now on are answered. */
    public synchronized void start() {
        if (subscription == null) {
            subscription = bus.listen(this::handle);
        }
    }

    /** Runs one command and replies; never throws. */
    void handle(ControlCommand c) {
        Instant now = clock.instant();
        if (now.isAfter(c.expiresAt())) {
            log.debug("control command {} ({}) expired at {}; ignored", c.id(), c.name(), c.expiresAt());
            return;
        }
        List<WorkerEngine> targets = new ArrayList<>();
        for (WorkerEngine w : workers.get()) {
            if (!w.closing() && c.isFor(w.id(), w.nodeName())) {
                targets.add(w);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        List<ObjectNode> replies = new ArrayList<>(targets.size());
        JsonNode args;
        try {
            args = ControlMessages.readArguments(c.arguments());
        } catch (IllegalArgumentException e) {
            for (WorkerEngine w : targets) {
                replies.add(ControlMessages.error(w.id(), w.nodeName(), e.getMessage()));
            }
            send(c, replies, now);
            return;
        }
        for (WorkerEngine w : targets) {
            try {
                replies.add(ControlMessages.ok(w.id(), w.nodeName(), run(c.name(), args, w)));
            } catch (UnknownCommand | RuntimeException e) {
                replies.add(ControlMessages.error(w.id(), w.nodeName(), e.getMessage()));
            }
        }
        send(c, replies, now);
    }

    private void send(ControlCommand c, List<ObjectNode> replies, Instant now) {
        String text = ControlMessages.replies(replies);
        if (text.length() > ControlBus.MAX_REPLY_CHARS) {
            List<ObjectNode> tooLarge = new ArrayList<>(replies.size());
            for (ObjectNode r : replies) {
                tooLarge.add(ControlMessages.error(r.path("worker").asText(), r.path("node").asText(),
                        "the reply of " + text.length() + " characters (all workers of its process) exceeds "
                                + ControlBus.MAX_REPLY_CHARS + "; lower Taskq.Builder.argsRepr"));
            }
            text = ControlMessages.replies(tooLarge);
        }
        Duration left = Duration.between(now, c.expiresAt());
        try {
            bus.reply(c.id(), text, (left.isNegative() ? Duration.ZERO : left).plus(REPLY_KEPT_AFTER_EXPIRY));
        } catch (RuntimeException e) {
            log.warn("control command {} ({}): the reply could not be sent: {}", c.id(), c.name(), e.toString());
        }
    }

    /** What one worker answers. */
    private Object run(String name, JsonNode args, WorkerEngine w) throws UnknownCommand {
        return switch (name) {
            case ControlMessages.PING -> "pong";
            case ControlMessages.ACTIVE -> w.activeTasks();
            case ControlMessages.RESERVED -> w.heldTasks();
            case ControlMessages.REGISTERED -> new TreeSet<>(taskNames.get());
            case ControlMessages.STATS -> w.info();
            case ControlMessages.PAUSE -> w.pause(text(args, "queue"));
            case ControlMessages.RESUME -> w.resume(text(args, "queue"));
            case ControlMessages.SET_CONCURRENCY -> {
                int before = w.concurrency();
                w.setConcurrency(number(args, "n"));
                yield before;
            }
            case ControlMessages.SHUTDOWN -> {
                log.info("worker {}: shutdown by remote control", w.id());
                Thread t = new Thread(w::close, "taskq-control-shutdown-" + w.id());
                t.setDaemon(true);
                t.start();
                yield true;
            }
            default -> throw new UnknownCommand(name);
        };
    }

    private static String text(JsonNode args, String field) {
        JsonNode n = args.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("the argument '" + field + "' is missing or not text");
        }
        return n.asText();
    }

    private static int number(JsonNode args, String field) {
        JsonNode n = args.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("the argument '" + field + "' is missing or not an int");
        }
        return n.asInt();
    }

    /** Stops listening; a command being handled finishes. */
    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    /** A command this version does not know. */
    private static final class UnknownCommand extends Exception {
        UnknownCommand(String name) {
            super("unknown command '" + name + "' (taskq " + io.taskq.internal.TaskqVersion.get() + ")", null,
                    false, false);
        }
    }
}
