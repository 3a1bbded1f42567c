package io.taskq.internal;

import io.taskq.spi.Broker;
import io.taskq.spi.QueueAdmin;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskSummary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A workflow as a whole, found by its root id (docs/workflows.md#lineage): its tasks listed from the queues'
 * listings ({@link QueueAdmin#tasks}), and revoked. There is no index by root: the listing reads each queue's places
 * page by page and keeps the tasks whose root matches, bounded by {@link #PAGES} pages per queue and place.
 */
public final class WorkflowOps {
    /** Pages of {@link QueueAdmin#MAX_PAGE} tasks read at most per queue and place by one listing. */
    public static final int PAGES = io.taskq.Taskq.WORKFLOW_PAGES;
    /** Listing passes a revoke makes at most (each after the revokes of the one before). */
    public static final int REVOKE_PASSES = 10;

    private static final List<TaskLocation.Place> PLACES = List.of(TaskLocation.Place.QUEUED,
            TaskLocation.Place.DELAYED, TaskLocation.Place.RUNNING, TaskLocation.Place.FINISHED,
            TaskLocation.Place.DEAD);
    private static final List<TaskLocation.Place> LIVE = List.of(TaskLocation.Place.QUEUED,
            TaskLocation.Place.DELAYED, TaskLocation.Place.RUNNING);

    private WorkflowOps() {
    }

    /**
     * The tasks of the workflow whose root is {@code rootId} (the root itself included) in every queue and place,
     * each once (a task seen in two places as it moves is listed in the first), in place order: queued, delayed,
     * running, finished, dead.
     */
    public static List<TaskSummary> list(QueueAdmin admin, String rootId) {
        return List.copyOf(find(admin, rootId, PLACES).values());
    }

    /**
     * Revokes every task of the workflow that is queued, delayed or running, listing again after each pass's
     * revokes until a pass finds no task it has not revoked yet (a running step that finished meanwhile may have
     * enqueued the next), at most {@link #REVOKE_PASSES} passes.
     *
     * @return how many tasks were removed or signalled
     */
    public static long revoke(Broker broker, QueueAdmin admin, String rootId, String reason) {
        Objects.requireNonNull(reason, "reason");
        Set<String> done = new HashSet<>();
        long revoked = 0;
        for (int pass = 0; pass < REVOKE_PASSES; pass++) {
            boolean fresh = false;
            for (TaskSummary s : find(admin, rootId, LIVE).values()) {
                if (done.add(s.queue() + "\u0000" + s.id())) {
                    fresh = true;
                    RevokeResult r = broker.revoke(s.queue(), s.id(), reason);
                    if (r == RevokeResult.REMOVED || r == RevokeResult.SIGNALLED) {
                        revoked++;
                    }
                }
            }
            if (!fresh) {
                break;
            }
        }
        return revoked;
    }

    private static Map<String, TaskSummary> find(QueueAdmin admin, String rootId, List<TaskLocation.Place> places) {
        Objects.requireNonNull(rootId, "rootId");
        if (rootId.isBlank()) {
            throw new IllegalArgumentException("rootId is blank");
        }
        Map<String, TaskSummary> found = new LinkedHashMap<>();
        for (TaskLocation.Place place : places) {
            for (String queue : new ArrayList<>(admin.queues())) {
                String cursor = null;
                int pages = 0;
                do {
                    TaskPage page = admin.tasks(queue, place, TaskPage.Order.OLDEST_FIRST, QueueAdmin.MAX_PAGE,
                            cursor);
                    for (TaskSummary s : page.tasks()) {
                        if (rootId.equals(s.root())) {
                            found.putIfAbsent(s.queue() + "\u0000" + s.id(), s);
                        }
                    }
                    cursor = page.next();
                    pages++;
                } while (cursor != null && pages < PAGES);
            }
        }
        return found;
    }
}
