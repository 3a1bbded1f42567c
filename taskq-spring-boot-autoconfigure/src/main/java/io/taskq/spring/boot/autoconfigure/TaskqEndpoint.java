package io.taskq.spring.boot.autoconfigure;

import io.taskq.QueueStats;
import io.taskq.Taskq;
import io.taskq.WorkerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code taskq} actuator endpoint ({@code /actuator/taskq}): this instance's workers, every live worker of the
 * namespace (the broker's worker registry: every instance sharing the broker), the counts of the queues it knows of,
 * its registered tasks, and the scheduler's entries and leader. Read-only.
 */
@Endpoint(id = "taskq")
public class TaskqEndpoint {
    private final LocalTaskq local;

    /** The endpoint over {@code taskq} and this instance's workers and scheduler. */
    public TaskqEndpoint(Taskq taskq, ObjectProvider<TaskqWorkers> workers,
                         ObjectProvider<TaskqSchedulerStatus> scheduler, TaskqProperties properties) {
        this.local = new LocalTaskq(taskq, workers, scheduler, properties);
    }

    /** What this instance runs and sees. */
    @ReadOperation
    public TaskqDescriptor taskq() {
        List<WorkerDescriptor> ws = new ArrayList<>();
        for (TaskqWorkers.Running r : local.workers()) {
            ws.add(new WorkerDescriptor(r.worker().id(), r.worker().isHealthy(), r.options().queues(),
                    r.options().concurrency(), r.worker().activeCount(), r.worker().heldCount(),
                    r.worker().abandonedCount()));
        }
        Taskq taskq = local.taskq();
        List<QueueStats> queues = local.queues().stream().map(taskq::stats).toList();
        SchedulerDescriptor sd = local.scheduler().map(s -> new SchedulerDescriptor(s.isRunning(),
                s.instanceId(), s.isLeader(), s.leader().orElse(null), s.entries())).orElse(null);
        return new TaskqDescriptor(new TreeSet<>(taskq.taskNames()), ws, registry(taskq), queues, sd);
    }

    /** The namespace's live workers, or null if the broker keeps no registry. */
    private static List<WorkerInfo> registry(Taskq taskq) {
        try {
            return taskq.workers();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    /**
     * The endpoint's answer.
     *
     * @param tasks     the tasks registered here
     * @param workers   this instance's workers
     * @param registry  every live worker of the namespace, this instance's included, as their last heartbeats said
     *                  (null if the broker keeps no worker registry)
     * @param queues    counts of the queues this instance knows of
     * @param scheduler this instance's scheduler, or null if it runs none
     */
    public record TaskqDescriptor(Set<String> tasks, List<WorkerDescriptor> workers,
                                  List<WorkerInfo> registry, List<QueueStats> queues,
                                  SchedulerDescriptor scheduler) {
    }

    /**
     * A local worker.
     *
     * @param id          its id, as recorded with its claims
     * @param healthy     whether its fetch loop completes claim cycles
     * @param queues      the queues it consumes
     * @param concurrency its threads
     * @param active      tasks running now
     * @param held        tasks claimed ahead and held
     * @param abandoned   threads abandoned by time limits, not ended yet
     */
    public record WorkerDescriptor(String id, boolean healthy, List<String> queues, int concurrency, int active,
                                   int held, int abandoned) {
    }

    /**
     * The local scheduler.
     *
     * @param running  whether it runs
     * @param instance this instance's id in the lease
     * @param leader   whether this instance leads
     * @param leaderInstance the leading instance, or null if none is known
     * @param entries  the periodic task entries
     */
    public record SchedulerDescriptor(boolean running, String instance, boolean leader, String leaderInstance,
                                      List<TaskqSchedulerStatus.Entry> entries) {
    }
}
