package io.taskq.cli;

import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/**
 * The definition options of {@code schedule add} and {@code schedule edit}: each one given sets that part of the
 * entry; {@code edit} keeps what is not given.
 */
final class EntryOptions {
    @Option(names = {"-t", "--task"}, paramLabel = "TASK", description = "The task name to submit.")
    String task;

    @Option(names = "--every", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "An interval schedule: 15m, 1h, PT30S... (fires aligned to --anchor, default the epoch).")
    Duration every;

    @Option(names = "--anchor", paramLabel = "INSTANT",
            description = "With --every: an instant the interval fires at (ISO-8601, e.g. 2026-01-01T00:05:00Z).")
    Instant anchor;

    @Option(names = "--cron", paramLabel = "EXPRESSION",
            description = "A cron schedule, 5 fields (or 6 with seconds), e.g. '30 2 * * *'.")
    String cron;

    @Option(names = "--zone", paramLabel = "ZONE", description = "With --cron: its time zone (default UTC).")
    ZoneId zone;

    @Option(names = "--args", paramLabel = "JSON", description = "The arguments as a JSON array, e.g. '[\"sales\", 7]'.")
    String args;

    @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE", description = "The queue (default: the task's).")
    String queue;

    @Option(names = "--priority", paramLabel = "0-9", description = "The priority (default: the task's).")
    Integer priority;

    @Option(names = "--expires", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long each run may wait before it expires unrun.")
    Duration expires;

    @Option(names = "--description", paramLabel = "TEXT", description = "Free text for people.")
    String description;

    @Option(names = "--one-off", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
            description = "Disable the entry after its first scheduled run.")
    Boolean oneOff;

    /** The schedule the options give, or null if they give none. */
    Schedule schedule() {
        if (every != null && cron != null) {
            throw new CliFailure(ExitCode.USAGE, "--every and --cron exclude each other");
        }
        if (every != null) {
            if (zone != null) {
                throw new CliFailure(ExitCode.USAGE, "--zone goes with --cron, not --every");
            }
            return anchor == null ? Schedule.every(every) : Schedule.every(every, anchor);
        }
        if (anchor != null) {
            throw new CliFailure(ExitCode.USAGE, "--anchor goes with --every");
        }
        if (cron != null) {
            return zone == null ? Schedule.cron(cron) : Schedule.cron(cron, zone);
        }
        if (zone != null) {
            throw new CliFailure(ExitCode.USAGE, "--zone goes with --cron");
        }
        return null;
    }

    /** A new entry: the task and a schedule are required. */
    PeriodicTask newEntry(String name) {
        Schedule s = schedule();
        if (task == null || s == null) {
            throw new CliFailure(ExitCode.USAGE, "schedule add needs --task and a schedule (--every or --cron)");
        }
        PeriodicTask.Builder b = PeriodicTask.builder(name, task, s);
        apply(b);
        return b.build();
    }

    /** The entry with the options given applied. */
    PeriodicTask edited(PeriodicTask current) {
        PeriodicTask.Builder b = current.toBuilder();
        if (task != null) {
            b.task(task);
        }
        Schedule s = schedule();
        if (s != null) {
            b.schedule(s);
        }
        apply(b);
        return b.build();
    }

    /** Whether any definition option was given. */
    boolean any() {
        return task != null || every != null || cron != null || args != null || queue != null || priority != null
                || expires != null || description != null || oneOff != null;
    }

    private void apply(PeriodicTask.Builder b) {
        if (args != null) {
            b.argsJson(args);
        }
        if (queue != null) {
            b.queue(queue);
        }
        if (priority != null) {
            b.priority(priority);
        }
        if (expires != null) {
            b.expires(expires);
        }
        if (description != null) {
            b.description(description);
        }
        if (oneOff != null) {
            b.oneOff(oneOff);
        }
    }
}
