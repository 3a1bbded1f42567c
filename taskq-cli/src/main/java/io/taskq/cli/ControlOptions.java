package io.taskq.cli;

import io.taskq.Control;
import io.taskq.Taskq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of {@code inspect} and {@code control} (Celery's {@code --destination} and {@code --timeout}): which
 * workers are asked, by worker id or node name (none: every worker), and how long the replies are waited for.
 */
final class ControlOptions {
    @Option(names = {"-d", "--destination"}, paramLabel = "NODE_OR_ID", split = ",",
            description = "Only these workers, by node name or worker id; repeatable or comma-separated"
                    + " (default: every worker).")
    List<String> destination = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
            description = "How long to wait for the replies; done sooner once every worker asked has replied"
                    + " (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** The taskq's remote control for these workers and this timeout. */
    Control control(Taskq taskq) {
        return taskq.control().destination(destination).timeout(timeout);
    }

    /** Whether the command goes to every worker (no destination). */
    boolean everyWorker() {
        return destination.isEmpty();
    }

    /** Who is asked, for messages: "every worker" or the destinations. */
    String whom() {
        return everyWorker() ? "every worker" : String.join(", ", destination);
    }

    /**
     * Says on stderr who did not reply (nobody, or each named destination without a reply).
     *
     * @return whether every worker asked replied (to every worker: whether anyone did)
     */
    boolean noteMissing(Output out, Map<String, ? extends Control.Reply<?>> replies) {
        String within = " within " + Formats.duration(timeout);
        if (replies.isEmpty()) {
            out.note("no worker replied" + within + (everyWorker() ? "" : " (destination: " + whom() + ")"));
            return false;
        }
        List<String> missing = new ArrayList<>();
        for (String d : destination) {
            if (replies.values().stream().noneMatch(r -> r.workerId().equals(d) || r.nodeName().equals(d))) {
                missing.add(d);
            }
        }
        if (!missing.isEmpty()) {
            out.note("no reply from " + String.join(", ", missing) + within);
        }
        return missing.isEmpty();
    }

    /** A worker as the result lines name it: {@code node (id)}. */
    static String label(Control.Reply<?> r) {
        return r.nodeName() + " (" + r.workerId() + ")";
    }
}
