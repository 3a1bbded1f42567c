package io.taskq.internal.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.taskq.TaskState;
import io.taskq.internal.DataCodec;
import io.taskq.internal.IsoInstants;
import io.taskq.internal.JsonText;
import io.taskq.internal.Names;
import java.time.Instant;
import java.util.Arrays;

/**
 * Takes the progress a running task reports ({@code TaskContext.updateState}) to the broker, which keeps it in the
 * task's STARTED record, and tells the listeners. Runs on the task's own thread, as Celery's {@code update_state}
 * does: a task that reports progress pays one broker call per report, and only then.
 */
final class ProgressReports {
    /** Longest progress (state and metadata as JSON) a task may report. */
    static final int MAX_CHARS = 64 * 1024;

    private final WorkerContext ctx;
    private final DataCodec data;

    ProgressReports(WorkerContext ctx, DataCodec data) {
        this.ctx = ctx;
        this.data = data;
    }

    /**
     * Stores {@code state} and {@code meta} as the attempt's progress.
     *
     * @return false if the attempt is no longer the task's current one (lease lost, revoked, finished)
     * @throws IllegalArgumentException if the state is not a valid name or one of taskq's own states, or the
     *                                  metadata cannot be written as JSON or is too long
     */
    boolean report(Attempt a, String state, Object meta) {
        Names.check("progress state", state);
        if (state.length() > 200) {
            throw new IllegalArgumentException("progress state is longer than 200 characters");
        }
        if (Arrays.stream(TaskState.values()).anyMatch(s -> s.name().equals(state))) {
            throw new IllegalArgumentException("progress state '" + state + "' is one of taskq's own states; "
                    + "use a name of your own, such as PROGRESS");
        }
        String metaJson;
        try {
            metaJson = data.write(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("progress metadata of type " + meta.getClass().getName()
                    + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        Instant now = ctx.clock.instant();
        StringBuilder b = new StringBuilder(metaJson.length() + state.length() + 64).append("{\"state\":");
        JsonText.string(b, state);
        b.append(",\"at\":");
        JsonText.string(b, IsoInstants.format(now));
        String json = b.append(",\"meta\":").append(metaJson).append('}').toString();
        if (json.length() > MAX_CHARS) {
            throw new IllegalArgumentException("progress of " + json.length() + " characters is longer than "
                    + MAX_CHARS + "; report a summary and keep large data elsewhere");
        }
        boolean stored = ctx.broker.reportProgress(a.delivery, json, now);
        if (stored) {
            ctx.events.progress(a.delivery, a.trace, state, metaJson);
        }
        return stored;
    }
}
