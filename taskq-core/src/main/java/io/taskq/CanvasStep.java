package io.taskq;

import java.util.Objects;

/**
 * One step of a workflow as the API holds it: a request, and whether the previous result (or the failure, for an
 * error callback) is appended to its arguments ({@link Signature}) or not (a plain {@link TaskRequest}, Celery's
 * immutable signature). A step with a {@code header} is a chord in a chain: the header's members run after the step
 * before, and this step is their callback (it takes the list of their results).
 */
record CanvasStep(TaskRequest<?> request, boolean takesResult, java.util.List<CanvasStep> header) {
    CanvasStep {
        Objects.requireNonNull(request, "request");
        header = java.util.List.copyOf(header);
    }

    CanvasStep(TaskRequest<?> request, boolean takesResult) {
        this(request, takesResult, java.util.List.of());
    }

    /** This step with another request (its options or links changed), the same header. */
    CanvasStep with(TaskRequest<?> r) {
        return new CanvasStep(r, takesResult, header);
    }
}
