package io.taskq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.taskq.internal.LimitSpec;
import io.taskq.internal.TaskDefinition;
import io.taskq.internal.TaskLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Works out at submit which limits a message is subject to, from its task's declaration, the request and the
 * queues' rate limits, and puts them in its {@code limits} header ({@link LimitSpec}): the claim then reads them from
 * the message and never parses its arguments (docs/limits.md).
 */
final class LimitPlanner {
    private final Map<String, RateLimit> queueRates;

    LimitPlanner(Map<String, RateLimit> queueRates) {
        this.queueRates = Map.copyOf(queueRates);
    }

    /** The name of a task's limits. */
    static String taskLimit(String task) {
        return "task:" + task;
    }

    /** The name of a queue's rate limit. */
    static String queueLimit(String queue) {
        return "queue:" + queue;
    }

    /** The request's headers, with the limits header added if the message is subject to any limit. */
    Map<String, String> headers(TaskRequest<?> r, TaskDefinition def, String queue, ArrayNode args) {
        TaskLimits declared = def == null ? TaskLimits.NONE : TaskLimits.of(def.method());
        CallLimits call = r.limits();
        RateLimit queueRate = queueRates.isEmpty() ? null : queueRates.get(queue);
        if (declared == TaskLimits.NONE && call == CallLimits.NONE && queueRate == null) {
            return r.headers();
        }
        RateLimit rate = call.rate() != null ? call.rate() : declared.rate();
        int maxRunning = call.maxRunning() > 0 ? call.maxRunning() : declared.maxRunning();
        String key = call.key() != null ? call.key() : key(declared, r.headers(), args);
        List<LimitSpec.Entry> entries = new ArrayList<>(3);
        String name = taskLimit(r.taskName());
        if (rate != null) {
            entries.add(new LimitSpec.Entry(name, key, rate, 0));
        }
        if (queueRate != null) {
            entries.add(new LimitSpec.Entry(queueLimit(queue), "", queueRate, 0));
        }
        if (maxRunning > 0) {
            entries.add(new LimitSpec.Entry(name, key, null, maxRunning));
        }
        if (entries.isEmpty()) {
            return r.headers();
        }
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.put(LimitSpec.HEADER, new LimitSpec(entries).text());
        return h;
    }

    /** The key of a per-key limit from the request: its header or argument as declared; "" for none. */
    private static String key(TaskLimits declared, Map<String, String> headers, ArrayNode args) {
        if (declared.keyHeader() != null) {
            return headers.getOrDefault(declared.keyHeader(), "");
        }
        if (declared.keyArg() >= 0 && declared.keyArg() < args.size()) {
            JsonNode a = args.get(declared.keyArg());
            return a.isTextual() ? a.textValue() : a.toString();
        }
        return "";
    }
}
