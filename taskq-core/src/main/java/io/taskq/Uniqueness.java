package io.taskq;

import io.taskq.internal.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How long a unique task keeps its uniqueness key (docs/limits.md#unique-tasks): while it holds the key, a submit of
 * another task with the same key in the same queue is not enqueued and answers with the existing task's handle
 * ({@link TaskHandle#created()} false). The key is the task name and its arguments (or those
 * {@code @Task(uniqueArgs)} names), or one a request gives ({@link TaskRequest#uniqueKey}).
 *
 * @param mode   when the key is given up
 * @param window for {@link Mode#WINDOW}, how long after the submit; null otherwise
 */
public record Uniqueness(Mode mode, Duration window) {

    /** When a unique task gives its key up. */
    public enum Mode {
        /** When it leaves the queue: claimed by a worker (it holds the key again while it waits for a retry). */
        WHILE_QUEUED,
        /** When it starts running (a claimed task held by a worker before a slot frees still holds it). */
        UNTIL_STARTED,
        /** When it ends: succeeded, dead-lettered, revoked or expired (it keeps the key through its retries). */
        UNTIL_FINISHED,
        /** A time after the submit, whatever the task does meanwhile. */
        WINDOW
    }

    /** Validates the fields. */
    public Uniqueness {
        Objects.requireNonNull(mode, "mode");
        if ((mode == Mode.WINDOW) != (window != null)) {
            throw new IllegalArgumentException("a window is given with Mode.WINDOW, and only then");
        }
        if (window != null && window.toMillis() < 1) {
            throw new IllegalArgumentException("the window must be at least 1 ms");
        }
    }

    /** The key is held while the task is queued. */
    public static Uniqueness whileQueued() {
        return new Uniqueness(Mode.WHILE_QUEUED, null);
    }

    /** The key is held until the task starts. */
    public static Uniqueness untilStarted() {
        return new Uniqueness(Mode.UNTIL_STARTED, null);
    }

    /** The key is held until the task ends. */
    public static Uniqueness untilFinished() {
        return new Uniqueness(Mode.UNTIL_FINISHED, null);
    }

    /** The key is held for {@code window} after the submit. */
    public static Uniqueness forWindow(Duration window) {
        return new Uniqueness(Mode.WINDOW, window);
    }

    /**
     * Parses {@code @Task(uniqueUntil)}: {@code queued}, {@code started}, {@code finished}, or a duration
     * ({@code 10m}) for a window.
     *
     * @throws IllegalArgumentException if it is none of them
     */
    public static Uniqueness parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "queued" -> whileQueued();
            case "started" -> untilStarted();
            case "finished" -> untilFinished();
            default -> forWindow(Durations.parse(text, "uniqueUntil"));
        };
    }
}
