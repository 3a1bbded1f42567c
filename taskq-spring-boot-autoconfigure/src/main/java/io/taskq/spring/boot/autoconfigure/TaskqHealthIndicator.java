package io.taskq.spring.boot.autoconfigure;

import io.taskq.Taskq;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * taskq's health on this instance: DOWN when the broker does not answer (a queue count through it) or a local
 * worker is unhealthy (its fetch loop has failed for several claim waits, or too many threads are abandoned);
 * UNKNOWN when this instance runs the scheduler and no leader is known (no instance publishes periodic tasks
 * now, as during an election); UP otherwise. Details: the broker's answer per queue, each local worker, the
 * scheduler's leader.
 */
public class TaskqHealthIndicator extends AbstractHealthIndicator {
    private final LocalTaskq local;

    /** The health of {@code taskq}, its local workers and scheduler. */
    public TaskqHealthIndicator(Taskq taskq, ObjectProvider<TaskqWorkers> workers,
                                ObjectProvider<TaskqSchedulerStatus> scheduler, TaskqProperties properties) {
        super("taskq health check failed");
        this.local = new LocalTaskq(taskq, workers, scheduler, properties);
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean down = false;
        Map<String, Object> queues = new LinkedHashMap<>();
        for (String queue : local.queues()) {
            try {
                queues.put(queue, local.taskq().stats(queue));
            } catch (RuntimeException e) {
                down = true;
                queues.put(queue, "broker error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        builder.withDetail("queues", queues);
        List<Map<String, Object>> workerDetails = new ArrayList<>();
        for (TaskqWorkers.Running r : local.workers()) {
            boolean healthy = r.worker().isHealthy();
            down |= !healthy;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("id", r.worker().id());
            d.put("healthy", healthy);
            d.put("active", r.worker().activeCount());
            workerDetails.add(d);
        }
        builder.withDetail("workers", workerDetails);
        Status status = down ? Status.DOWN : Status.UP;
        TaskqSchedulerStatus s = local.scheduler().orElse(null);
        if (s != null && s.isRunning()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("instance", s.instanceId());
            d.put("leader", s.isLeader());
            String leader;
            try {
                leader = s.leader().orElse(null);
            } catch (RuntimeException e) {
                leader = null;
                status = Status.DOWN;
            }
            d.put("leaderInstance", leader == null ? "none known" : leader);
            builder.withDetail("scheduler", d);
            if (leader == null && status == Status.UP) {
                status = Status.UNKNOWN;
            }
        }
        builder.status(status);
    }
}
