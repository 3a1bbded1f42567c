package io.taskq.redis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.ScriptOutputType;
import io.taskq.TaskState;
import io.taskq.internal.Json;
import io.taskq.internal.JsonText;
import io.taskq.redis.internal.Scripts.Name;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds tasks by id: asks queues (each partition about the ids that hash to it) with the {@code lookup} script, one
 * call per queue partition per batch of ids, all calls pipelined, so a lookup across every registered queue costs
 * one round trip per Cluster node rather than one per queue.
 */
public final class TaskLocator {
    /** Most ids per script call: Redis is never held long by a lookup. */
    private static final int BATCH = 500;
    private static final Logger log = LoggerFactory.getLogger(TaskLocator.class);

    private final Connections conns;
    private final Scripts scripts;
    private final Keys keys;
    private final Function<String, List<String>> commonArgs;

    /**
     * A locator.
     *
     * @param commonArgs the common script arguments of a (logical) queue, taken at the time of the call
     */
    public TaskLocator(Connections conns, Scripts scripts, Keys keys, Function<String, List<String>> commonArgs) {
        this.conns = conns;
        this.scripts = scripts;
        this.keys = keys;
        this.commonArgs = commonArgs;
    }

    /**
     * Where each id is, in the given queues (name → partition count), asked in that order: an id two queues know is
     * reported in the first. Ids no queue knows are left out.
     */
    public Map<String, TaskLocation> locate(Map<String, Integer> queues, Collection<String> ids) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(ids));
        List<Call> calls = new ArrayList<>();
        for (Map.Entry<String, Integer> q : queues.entrySet()) {
            Map<String, List<String>> byPartition = new LinkedHashMap<>();
            for (String id : distinct) {
                byPartition.computeIfAbsent(Keys.partition(q.getKey(), id, q.getValue()), p -> new ArrayList<>())
                        .add(id);
            }
            for (Map.Entry<String, List<String>> p : byPartition.entrySet()) {
                List<String> part = p.getValue();
                for (int from = 0; from < part.size(); from += BATCH) {
                    Call c = new Call(q.getKey(), p.getKey(), part.subList(from, Math.min(part.size(), from + BATCH)));
                    c.reply = scripts.send(conns, Name.LOOKUP, ScriptOutputType.MULTI, keys.queue(c.physical),
                            c.args());
                    calls.add(c);
                }
            }
        }
        Map<String, TaskLocation> out = new LinkedHashMap<>();
        for (Call c : calls) {
            List<Object> r;
            try {
                r = Scripts.await(c.reply);
            } catch (RuntimeException e) {
                if (!Scripts.refusedBeforeRunning(e)) {
                    throw e;
                }
                r = scripts.run(conns, Name.LOOKUP, ScriptOutputType.MULTI, keys.queue(c.physical), c.args());
            }
            read(c, r, out);
        }
        Map<String, TaskLocation> ordered = new LinkedHashMap<>();
        for (String id : distinct) {
            TaskLocation l = out.get(id);
            if (l != null) {
                ordered.put(id, l);
            }
        }
        return ordered;
    }

    private final class Call {
        final String queue;
        final String physical;
        final List<String> ids;
        CompletableFuture<List<Object>> reply;

        Call(String queue, String physical, List<String> ids) {
            this.queue = queue;
            this.physical = physical;
            this.ids = ids;
        }

        String[] args() {
            List<String> a = new ArrayList<>(commonArgs.apply(queue));
            a.addAll(ids);
            return a.toArray(new String[0]);
        }
    }

    private static void read(Call c, List<Object> r, Map<String, TaskLocation> out) {
        for (int i = 0; i < c.ids.size(); i++) {
            String id = c.ids.get(i);
            String place = (String) r.get(5 * i);
            if (place.isEmpty() || out.containsKey(id)) {
                continue;
            }
            String task = (String) r.get(5 * i + 1);
            String json = (String) r.get(5 * i + 2);
            String info = (String) r.get(5 * i + 3);
            String deadAt = (String) r.get(5 * i + 4);
            TaskRecord rec = json.isEmpty() ? null : record(c.queue, id, json);
            if (rec == null && place.equals("X")) {
                rec = deadRecord(c.queue, id, info, deadAt);
            }
            TaskLocation.Place p = switch (place) {
                case "Q" -> TaskLocation.Place.QUEUED;
                case "D" -> TaskLocation.Place.DELAYED;
                case "R" -> TaskLocation.Place.RUNNING;
                case "X" -> TaskLocation.Place.DEAD;
                default -> TaskLocation.Place.FINISHED;
            };
            out.put(id, new TaskLocation(id, c.queue, p, task.isEmpty() ? rec == null ? null : rec.task() : task,
                    rec));
        }
    }

    /** The stored record, or null if it cannot be read: the scripts take a damaged record for none too. */
    static TaskRecord record(String queue, String id, String json) {
        try {
            return JsonText.readRecord(json);
        } catch (JsonProcessingException | RuntimeException e) {
            log.debug("unreadable record of task {} in queue {}: taken for none", id, queue, e);
            return null;
        }
    }

    /** A dead letter whose record expired: a FAILURE record made from what the dead letter keeps. */
    static TaskRecord deadRecord(String queue, String id, String info, String deadAt) {
        try {
            JsonNode n = Json.mapper().readTree(info);
            return new TaskRecord(id, queue, n.path("task").isTextual() ? n.get("task").asText() : null,
                    TaskState.FAILURE, null, null, 0, n.path("attempt").asInt(), null,
                    Instant.ofEpochMilli(n.path("deadAt").asLong()), n.path("reason").asText(null));
        } catch (JsonProcessingException | RuntimeException e) {
            // A damaged or over-long entry (dead-lettered all the same): the task failed; why is not readable.
            return new TaskRecord(id, queue, null, TaskState.FAILURE, null, null, 0, 0, null,
                    Instant.ofEpochMilli(Long.parseLong(deadAt)), "dead letter kept but unreadable");
        }
    }
}
