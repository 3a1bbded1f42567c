package io.taskq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.taskq.internal.LimitSpec;
import io.taskq.internal.TaskDefinition;
import io.taskq.internal.TaskLimits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
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
        return withLimits(r.headers(), entries(r.taskName(), queue, rate, queueRate, maxRunning, key),
                unique(r, declared, call, args));
    }

    /**
     * A follow-up's headers, with the limits header added if it is subject to any: its task's declared limits
     * ({@code def} null when this process does not have the task) keyed from its complete arguments, and its
     * queue's rate. A follow-up has no call limits and no uniqueness: its id is fixed at submit.
     */
    Map<String, String> followUpHeaders(TaskDefinition def, String task, String queue, Map<String, String> headers,
                                        ArrayNode args) {
        TaskLimits declared = def == null ? TaskLimits.NONE : TaskLimits.of(def.method());
        RateLimit queueRate = queueRates.isEmpty() ? null : queueRates.get(queue);
        if (declared == TaskLimits.NONE && queueRate == null) {
            return headers;
        }
        return withLimits(headers, entries(task, queue, declared.rate(), queueRate, declared.maxRunning(),
                key(declared, headers, args)), null);
    }

    /** Whether a follow-up of {@code def}'s task sent to {@code queue} would carry limits (followUpHeaders). */
    boolean limitsFollowUp(TaskDefinition def, String queue) {
        TaskLimits declared = def == null ? TaskLimits.NONE : TaskLimits.of(def.method());
        return declared.rate() != null || declared.maxRunning() > 0 || queueRates.containsKey(queue);
    }

    private static List<LimitSpec.Entry> entries(String task, String queue, RateLimit rate, RateLimit queueRate,
                                                 int maxRunning, String key) {
        List<LimitSpec.Entry> entries = new ArrayList<>(3);
        String name = taskLimit(task);
        if (rate != null) {
            entries.add(new LimitSpec.Entry(name, key, rate, 0));
        }
        if (queueRate != null) {
            entries.add(new LimitSpec.Entry(queueLimit(queue), "", queueRate, 0));
        }
        if (maxRunning > 0) {
            entries.add(new LimitSpec.Entry(name, key, null, maxRunning));
        }
        return entries;
    }

    private static Map<String, String> withLimits(Map<String, String> headers, List<LimitSpec.Entry> entries,
                                                  LimitSpec.Unique unique) {
        if (entries.isEmpty() && unique == null) {
            return headers;
        }
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(LimitSpec.HEADER, new LimitSpec(entries, unique).text());
        return h;
    }

    /**
     * A unique task's key and mode: the request's key, else the task name with a digest of its arguments (those
     * {@code @Task(uniqueArgs)} names, or all), so that the key stays short whatever the arguments hold.
     */
    private static LimitSpec.Unique unique(TaskRequest<?> r, TaskLimits declared, CallLimits call, ArrayNode args) {
        Uniqueness u = call.unique() != null ? call.unique() : declared.unique();
        if (u == null && call.uniqueKey() != null) {
            u = Uniqueness.untilFinished();
        }
        if (u == null) {
            return null;
        }
        String key = call.uniqueKey();
        if (key == null) {
            ArrayNode chosen = args;
            if (!declared.uniqueArgs().isEmpty()) {
                chosen = args.arrayNode();
                for (int i : declared.uniqueArgs()) {
                    chosen.add(i < args.size() ? args.get(i) : args.nullNode());
                }
            }
            String digest = sha256(r.taskName() + "\u0000" + chosen);
            key = r.taskName().length() <= 120 ? r.taskName() + ":" + digest.substring(0, 32) : digest;
        }
        return new LimitSpec.Unique(key, u.mode(), u.window() == null ? 0 : u.window().toMillis());
    }

    private static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
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
