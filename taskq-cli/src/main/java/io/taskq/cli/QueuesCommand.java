package io.taskq.cli;

import io.taskq.QueueStats;
import io.taskq.spi.QueueAdmin;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code taskq queues}: every queue of the environment with its counts. */
@Command(name = "queues", description = {
        "Every queue of the environment with its ready, delayed, running and dead-letter counts, and how long"
                + " its oldest ready task has waited (the queue's latency).",
        "Celery: celery inspect active_queues plus the broker's queue lengths."})
final class QueuesCommand extends CliCommand {

    @Override
    public Integer call() {
        QueueAdmin admin = taskq().queueAdmin();
        List<QueueStats> stats = new ArrayList<>();
        for (String q : admin.queues()) {
            stats.add(admin.stats(q));
        }
        Output out = out();
        if (out.json()) {
            out.printJson(stats.stream().map(Views::queue).toList());
            return ExitCode.OK;
        }
        Table t = new Table("QUEUE", "READY", "DELAYED", "RUNNING", "DEAD", "OLDEST READY");
        for (QueueStats s : stats) {
            t.row(s.queue(), s.ready(), s.delayed(), s.inFlight(), s.dead(), oldest(s));
        }
        out.print(t);
        return ExitCode.OK;
    }

    /** How long the oldest ready task has waited; {@code -} when none is ready. */
    static String oldest(QueueStats s) {
        return s.oldestReadyAge().isZero() ? "-" : Formats.duration(s.oldestReadyAge());
    }
}
