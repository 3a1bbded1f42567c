package io.taskq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.taskq.internal.IsoInstants;
import io.taskq.internal.Json;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The progress a running task reported last ({@link TaskContext#updateState}, Celery's {@code update_state}): a state
 * of the application's own, such as {@code PROGRESS}, and its metadata. Immutable.
 */
public final class TaskProgress {
    private final String state;
    private final String metaJson;
    private final Instant updatedAt;
    private final ObjectMapper mapper;

    private TaskProgress(String state, String metaJson, Instant updatedAt, ObjectMapper mapper) {
        this.state = state;
        this.metaJson = metaJson;
        this.updatedAt = updatedAt;
        this.mapper = mapper;
    }

    /**
     * The progress a record holds, read with {@code mapper}; empty if it holds none or it cannot be read (the
     * record is written by the broker from what the task reported, so that is another writer's text).
     */
    static Optional<TaskProgress> of(String progressJson, Instant updatedAt, ObjectMapper mapper) {
        if (progressJson == null) {
            return Optional.empty();
        }
        try {
            JsonNode n = Json.mapper().readTree(progressJson);
            JsonNode state = n == null ? null : n.get("state");
            if (state == null || !state.isTextual() || !n.has("meta")) {
                return Optional.empty();
            }
            JsonNode at = n.get("at");
            Instant reported = at != null && at.isTextual() ? IsoInstants.parse(at.asText()) : null;
            return Optional.of(new TaskProgress(state.asText(), n.get("meta").toString(),
                    reported != null ? reported : updatedAt, mapper));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The state the task reported, such as {@code PROGRESS}. */
    public String state() {
        return state;
    }

    /** The metadata as JSON text. */
    public String metaJson() {
        return metaJson;
    }

    /**
     * The metadata read as {@code type} with the application's mapper (a record, a {@code Map}, a number).
     *
     * @throws IllegalArgumentException if it cannot be read as that type
     */
    public <T> T meta(Class<T> type) {
        try {
            return mapper.readValue(metaJson, type);
        } catch (Exception e) {
            throw new IllegalArgumentException("progress metadata " + metaJson + " cannot be read as "
                    + type.getName() + ": " + e.getMessage(), e);
        }
    }

    /** When the task reported it. */
    public Instant updatedAt() {
        return updatedAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TaskProgress p && state.equals(p.state) && metaJson.equals(p.metaJson)
                && Objects.equals(updatedAt, p.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(state, metaJson, updatedAt);
    }

    @Override
    public String toString() {
        return "TaskProgress[" + state + " " + metaJson + " at " + updatedAt + "]";
    }
}
