package io.taskq.cli;

import io.taskq.WorkerInfo;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code taskq workers}: the live workers of the environment, from the worker registry (Celery's inspect stats). */
@Command(name = "workers", description = {
        "The live workers of the environment, as each told the worker registry at its last heartbeat.",
        "Celery: celery inspect stats / active_queues / ping."})
final class WorkersCommand extends CliCommand {

    @Override
    public Integer call() {
        List<WorkerInfo> workers = taskq().workers();
        Output out = out();
        if (out.json()) {
            out.printJson(workers.stream().map(Views::worker).toList());
            return ExitCode.OK;
        }
        Table t = table(workers, Instant.now());
        out.print(t);
        if (workers.isEmpty()) {
            out.note("no live workers under this prefix");
        }
        return ExitCode.OK;
    }

    /** The workers' table, as {@code workers} and {@code inspect stats} print it. */
    static Table table(List<WorkerInfo> workers, Instant now) {
        Table t = new Table("NODE", "ID", "APP", "VERSION", "QUEUES", "CONC", "ACTIVE/HELD", "PROCESSED/FAILED",
                "HEARTBEAT");
        for (WorkerInfo w : workers) {
            t.row(w.nodeName(), w.id(), w.application(), w.version(), queues(w), w.concurrency(),
                    w.active() + "/" + w.held(), w.processed() + "/" + w.failed(), Formats.ago(w.lastHeartbeat(), now));
        }
        return t;
    }

    /** The queues in the worker's order, a paused one marked. */
    static String queues(WorkerInfo w) {
        return String.join(",", w.queues().stream()
                .map(q -> w.pausedQueues().contains(q) ? q + "(paused)" : q).toList());
    }
}
