package io.taskq.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.Map;

/**
 * The limits of a workflow's follow-up (a callback, a chain's next step, a chord's member or callback), worked out by
 * the worker that sends it, as a submit works out a task's (docs/limits.md#follow-ups): its task's declared rate
 * and concurrency limits, keyed from its complete arguments (the previous step's result among them), and its
 * queue's rate.
 */
@FunctionalInterface
public interface FollowUpLimits {
    /** Follow-ups without limits: the headers as they are. */
    FollowUpLimits NONE = (task, queue, headers, args) -> headers;

    /**
     * The follow-up's headers with its {@code limits} header ({@link LimitSpec}) added if it is subject to any.
     *
     * @param headers its custom headers, without a {@code limits} header
     */
    Map<String, String> headers(String task, String queue, Map<String, String> headers, ArrayNode args);
}
