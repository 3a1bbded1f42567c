package io.taskq;

import java.util.Objects;

/**
 * One step of a workflow as the API holds it: a request, and whether the previous result (or the failure, for an
 * error callback) is appended to its arguments ({@link Signature}) or not (a plain {@link TaskRequest}, Celery's
 * immutable signature).
 */
record CanvasStep(TaskRequest<?> request, boolean takesResult) {
    CanvasStep {
        Objects.requireNonNull(request, "request");
    }
}
