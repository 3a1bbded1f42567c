package io.taskq.cli;

import io.taskq.DeadLetterFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The filter options of {@code dead list}, {@code dead resubmit} and {@code dead delete}: a
 * {@link DeadLetterFilter} (every condition given must hold).
 */
final class DeadFilterOptions {
    @Option(names = {"-t", "--task"}, paramLabel = "TASK", description = "Only dead letters of this task name.")
    String task;

    @Option(names = {"-e", "--error-type"}, paramLabel = "TYPE",
            description = "Only dead letters whose reason names this exception type, e.g. java.net.ConnectException.")
    String errorType;

    @Option(names = "--older-than", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only dead letters dead-lettered at least this long ago (15m, 2h, 7d...).")
    Duration olderThan;

    @Option(names = "--newer-than", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Only dead letters dead-lettered less than this long ago.")
    Duration newerThan;

    /** Whether any condition is given. */
    boolean any() {
        return task != null || errorType != null || olderThan != null || newerThan != null;
    }

    /**
     * The filter.
     *
     * @throws IllegalArgumentException (exit code 2) if a value is not one: an empty task, a type with a colon
     */
    DeadLetterFilter filter() {
        return DeadLetterFilter.builder().task(task).errorType(errorType).olderThan(olderThan).newerThan(newerThan)
                .build();
    }

    /** The conditions for people: {@code task it.send, error type x.Y, dead at least 1h ago}; "every" if none. */
    String describe() {
        List<String> parts = new ArrayList<>();
        if (task != null) {
            parts.add("task " + task);
        }
        if (errorType != null) {
            parts.add("error type " + errorType);
        }
        if (olderThan != null) {
            parts.add("dead at least " + Formats.duration(olderThan) + " ago");
        }
        if (newerThan != null) {
            parts.add("dead less than " + Formats.duration(newerThan) + " ago");
        }
        return parts.isEmpty() ? "every dead letter" : String.join(", ", parts);
    }

    /** The conditions as JSON ({@code task}, {@code errorType}, {@code olderThan}, {@code newerThan}). */
    Map<String, Object> view() {
        return Views.of("task", task, "errorType", errorType, "olderThan", olderThan, "newerThan", newerThan);
    }
}
