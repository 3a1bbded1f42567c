package io.taskq.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskq.internal.DataCodec;
import io.taskq.internal.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The definition of a periodic task entry (Celery's {@code beat_schedule} entry, django-celery-beat's
 * {@code PeriodicTask} row): which task to submit, with which arguments and options, on which {@link Schedule}.
 * Immutable; build one with {@link #builder(String, String, Schedule)} and change one with {@link #toBuilder()}.
 *
 * <pre>{@code
 * PeriodicTask report = PeriodicTask.builder("weekday-report", "reports.daily",
 *                 Schedule.cron("0 7 * * MON-FRI", ZoneId.of("Europe/London")))
 *         .args("sales", 7)
 *         .queue("reports")
 *         .expires(Duration.ofHours(1))
 *         .overlap(OverlapPolicy.SKIP_IF_RUNNING)
 *         .build();
 * }</pre>
 *
 * <p>What the scheduler keeps about an entry at run time (last run, run count, next run) is not part of the
 * definition; see {@link PeriodicTaskInfo}.
 */
public final class PeriodicTask {
    private final String name;
    private final String task;
    /** The arguments as JSON; for values not encoded yet, their encoding by taskq's own mapper (null if it fails). */
    private final String args;
    /** Arguments given as Java values, until a scheduler encodes them with its taskq's mapper; else null. */
    private final List<Object> argValues;
    /** Why taskq's own mapper could not encode the values, or null. */
    private final String argsProblem;
    private final Schedule schedule;
    private final String queue;
    private final Integer priority;
    private final Duration expires;
    private final boolean enabled;
    private final Instant startTime;
    private final boolean oneOff;
    private final String description;
    private final MissedRunPolicy missedRuns;
    private final OverlapPolicy overlap;

    private PeriodicTask(Builder b) {
        this.name = b.name;
        this.task = b.task;
        this.argValues = b.argValues;
        if (b.argValues == null) {
            this.args = b.args;
            this.argsProblem = null;
        } else {
            String text = null;
            String problem = null;
            try {
                text = DataCodec.defaults().write(b.argValues);
            } catch (JsonProcessingException | IllegalArgumentException e) {
                problem = e.getMessage();
            }
            this.args = text;
            this.argsProblem = problem;
        }
        this.schedule = b.schedule;
        this.queue = b.queue;
        this.priority = b.priority;
        this.expires = b.expires;
        this.enabled = b.enabled;
        this.startTime = b.startTime;
        this.oneOff = b.oneOff;
        this.description = b.description;
        this.missedRuns = b.missedRuns;
        this.overlap = b.overlap;
    }

    /**
     * A builder for an entry.
     *
     * @param name     unique name of the entry; also part of each run's task id, so keep it stable
     * @param task     the task name, as in {@code @Task(name = ...)}
     * @param schedule when it runs
     */
    public static Builder builder(String name, String task, Schedule schedule) {
        return new Builder(name, task, schedule);
    }

    /** A builder holding this entry's values, for an edited copy. */
    public Builder toBuilder() {
        Builder b = new Builder(name, task, schedule);
        b.args = args;
        b.argValues = argValues;
        b.queue = queue;
        b.priority = priority;
        b.expires = expires;
        b.enabled = enabled;
        b.startTime = startTime;
        b.oneOff = oneOff;
        b.description = description;
        b.missedRuns = missedRuns;
        b.overlap = overlap;
        return b;
    }

    /** The unique name. */
    public String name() {
        return name;
    }

    /** The task name. */
    public String task() {
        return task;
    }

    /**
     * The positional arguments as a JSON array, e.g. {@code ["sales",7]}. Arguments given as Java values
     * ({@link Builder#args(Object...)}) are encoded by the scheduler that stores the entry, with its taskq's mapper
     * ({@code Taskq.Builder.objectMapper}); until then this is their encoding by taskq's own mapper.
     *
     * @throws IllegalStateException if the arguments are Java values that taskq's own mapper cannot encode (a type
     *                               only the application's mapper knows): they have no JSON form before a scheduler
     *                               stores them
     */
    public String args() {
        if (args == null) {
            throw new IllegalStateException("arguments of periodic task '" + name + "' are encoded when a scheduler"
                    + " stores the entry, with its taskq's ObjectMapper; taskq's own mapper cannot: " + argsProblem);
        }
        return args;
    }

    /**
     * This entry with its arguments encoded by {@code mapper}, if they were given as Java values; otherwise this
     * entry. The scheduler calls it with its taskq's {@link io.taskq.Taskq#objectMapper() mapper} before it stores
     * an entry, so that the stored arguments are what the workers' mapper reads.
     *
     * @throws IllegalArgumentException if the mapper cannot encode the arguments
     */
    public PeriodicTask withArgsEncodedBy(ObjectMapper mapper) {
        if (argValues == null) {
            return this;
        }
        String json;
        try {
            json = mapper.writeValueAsString(argValues);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("arguments of periodic task '" + name
                    + "' cannot be encoded as JSON: " + e.getMessage(), e);
        }
        return toBuilder().argsJson(json).build();
    }

    /** When it runs. */
    public Schedule schedule() {
        return schedule;
    }

    /** The queue, or empty for the task's default queue. */
    public Optional<String> queue() {
        return Optional.ofNullable(queue);
    }

    /** The priority 0..9, or empty for the task's default. */
    public Optional<Integer> priority() {
        return Optional.ofNullable(priority);
    }

    /** How long each run may wait in the queue before it expires unrun, or empty for no limit. */
    public Optional<Duration> expires() {
        return Optional.ofNullable(expires);
    }

    /** Whether the scheduler publishes its runs. */
    public boolean enabled() {
        return enabled;
    }

    /** No run is published before this instant, or empty. */
    public Optional<Instant> startTime() {
        return Optional.ofNullable(startTime);
    }

    /**
     * Whether the entry disables itself after its first scheduled run. Entries with a
     * {@linkplain Schedule#clocked(Instant) clocked} schedule behave so whatever this says.
     */
    public boolean oneOff() {
        return oneOff;
    }

    /** Free text for people; empty if none. */
    public String description() {
        return description;
    }

    /** What to do about runs missed while no scheduler ran. */
    public MissedRunPolicy missedRuns() {
        return missedRuns;
    }

    /** Whether runs may overlap. */
    public OverlapPolicy overlap() {
        return overlap;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeriodicTask p && name.equals(p.name) && task.equals(p.task)
                && Objects.equals(args, p.args) && (args != null || Objects.equals(argValues, p.argValues))
                && schedule.equals(p.schedule) && Objects.equals(queue, p.queue)
                && Objects.equals(priority, p.priority) && Objects.equals(expires, p.expires)
                && enabled == p.enabled && Objects.equals(startTime, p.startTime) && oneOff == p.oneOff
                && description.equals(p.description) && missedRuns.equals(p.missedRuns) && overlap == p.overlap;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, task, args != null ? args : argValues, schedule, queue, priority, expires, enabled, startTime, oneOff,
                description, missedRuns, overlap);
    }

    @Override
    public String toString() {
        return "PeriodicTask[" + name + ": " + task + (args != null ? args : argValues) + " " + schedule.describe()
                + (enabled ? "" : ", disabled") + "]";
    }

    /** Builds a {@link PeriodicTask}; validates as it goes. */
    public static final class Builder {
        private String name;
        private String task;
        private Schedule schedule;
        private String args = "[]";
        private List<Object> argValues;
        private String queue;
        private Integer priority;
        private Duration expires;
        private boolean enabled = true;
        private Instant startTime;
        private boolean oneOff;
        private String description = "";
        private MissedRunPolicy missedRuns = MissedRunPolicy.runOnce();
        private OverlapPolicy overlap = OverlapPolicy.ALLOW;

        private Builder(String name, String task, Schedule schedule) {
            name(name);
            task(task);
            schedule(schedule);
        }

        /** The unique name. */
        public Builder name(String name) {
            this.name = nonBlank(name, "name");
            return this;
        }

        /** The task name. */
        public Builder task(String task) {
            this.task = nonBlank(task, "task");
            return this;
        }

        /** When it runs. */
        public Builder schedule(Schedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /**
         * The arguments as Java values. The scheduler that stores the entry encodes them to JSON (the entry is
         * stored and edited as text) with its taskq's mapper, the one that encodes submitted arguments: so types of
         * the application's Jackson modules work here as they do in a submit.
         */
        public Builder args(Object... args) {
            Objects.requireNonNull(args, "args");
            this.argValues = Collections.unmodifiableList(new ArrayList<>(Arrays.asList(args)));
            this.args = null;
            return this;
        }

        /** The arguments as JSON text, which must be an array, e.g. {@code ["sales", 7]}. */
        public Builder argsJson(String json) {
            Objects.requireNonNull(json, "json");
            JsonNode node;
            try {
                node = Json.mapper().readTree(json);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("arguments of periodic task '" + name + "' are not JSON: "
                        + e.getOriginalMessage(), e);
            }
            if (node == null || !node.isArray()) {
                throw new IllegalArgumentException("arguments of periodic task '" + name
                        + "' must be a JSON array, got: " + json);
            }
            // Normalised text, so that equal arguments compare equal whatever their spacing.
            this.args = node.toString();
            this.argValues = null;
            return this;
        }

        /** The queue; null for the task's default. */
        public Builder queue(String queue) {
            this.queue = queue == null ? null : nonBlank(queue, "queue");
            return this;
        }

        /** The priority 0..9; null for the task's default. */
        public Builder priority(Integer priority) {
            if (priority != null && (priority < 0 || priority > 9)) {
                throw new IllegalArgumentException("priority must be 0..9, was " + priority);
            }
            this.priority = priority;
            return this;
        }

        /** How long each run may wait before it expires unrun; null for no limit. */
        public Builder expires(Duration expires) {
            if (expires != null && (expires.isNegative() || expires.isZero())) {
                throw new IllegalArgumentException("expires must be positive, was " + expires);
            }
            this.expires = expires;
            return this;
        }

        /** Whether runs are published (default true). */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** No run before this instant; null for none. */
        public Builder startTime(Instant startTime) {
            this.startTime = startTime;
            return this;
        }

        /** Disable the entry after its first scheduled run (default false). */
        public Builder oneOff(boolean oneOff) {
            this.oneOff = oneOff;
            return this;
        }

        /** Free text for people. */
        public Builder description(String description) {
            this.description = description == null ? "" : description;
            return this;
        }

        /** What to do about missed runs (default {@link MissedRunPolicy#runOnce()}). */
        public Builder missedRuns(MissedRunPolicy missedRuns) {
            this.missedRuns = Objects.requireNonNull(missedRuns, "missedRuns");
            return this;
        }

        /** Whether runs may overlap (default {@link OverlapPolicy#ALLOW}). */
        public Builder overlap(OverlapPolicy overlap) {
            this.overlap = Objects.requireNonNull(overlap, "overlap");
            return this;
        }

        /** The entry. */
        public PeriodicTask build() {
            return new PeriodicTask(this);
        }

        private static String nonBlank(String value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isBlank()) {
                throw new IllegalArgumentException("periodic task " + what + " must not be blank");
            }
            return value.trim();
        }
    }
}
