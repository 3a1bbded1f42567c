package io.taskq.cli;

import io.taskq.TaskInfo;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.spi.TaskRecord;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq task ID}: what is known about one task (Celery's {@code AsyncResult(id)}, Flower's task page). */
@Command(name = "task", description = {
        "A task's state, queue, attempts, worker, error or result, by id. Exit code 3 if no queue knows it.",
        "Celery: AsyncResult(id).state / .result, Flower's task page."})
final class TaskCommand extends CliCommand {
    @Parameters(paramLabel = "ID", description = "The task id.")
    String id;

    @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE",
            description = "Look in this queue only (default: every queue of the environment).")
    String queue;

    @Override
    public Integer call() {
        Taskq taskq = taskq();
        TaskInfo info = queue != null ? taskq.handle(queue, id).info() : taskq.lookup(List.of(id)).get(id);
        if (info == null || info.state() == TaskState.UNKNOWN) {
            throw CliFailure.notFound("no task " + id + (queue != null ? " in queue '" + queue + "'" : "")
                    + " (never submitted, or its record expired)");
        }
        String result = null;
        if (info.state() == TaskState.SUCCESS) {
            result = taskq.resultBackend().get(info.queue(), id).map(TaskRecord::result).orElse(null);
        }
        Map<String, Object> view = Views.task(info, result);
        Output out = out();
        if (out.json()) {
            out.printJson(view);
        } else {
            out.printFields(view);
        }
        return ExitCode.OK;
    }
}
