package io.taskq.cli;

import io.taskq.spi.QueueAdmin;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskRecord;
import io.taskq.spi.TaskSummary;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq tasks QUEUE --state S}: one page of the tasks of a queue in one place. */
@Command(name = "tasks", description = {
        "One page of a queue's tasks in one place (queued in claim order, delayed by due time, running by lease"
                + " deadline, finished by record expiry, dead by time of death), oldest first unless --newest."
                + " The next page: the same command with --cursor as printed.",
        "Celery: Flower's task list per state."})
final class TasksCommand extends CliCommand {
    @Parameters(paramLabel = "QUEUE", description = "The queue.")
    String queue;

    @Option(names = {"-s", "--state"}, paramLabel = "STATE", defaultValue = "QUEUED",
            description = "queued, delayed, running, finished or dead (default: queued).")
    TaskLocation.Place place;

    @Option(names = "--newest", description = "Newest first.")
    boolean newest;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "50",
            description = "Most tasks on the page, 1 to " + QueueAdmin.MAX_PAGE + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "The cursor of the next page, as printed.")
    String cursor;

    @Override
    public Integer call() {
        TaskPage page = taskq().queueAdmin().tasks(queue, place,
                newest ? TaskPage.Order.NEWEST_FIRST : TaskPage.Order.OLDEST_FIRST, limit, cursor);
        Output out = out();
        if (out.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("queue", queue);
            doc.put("state", place.name().toLowerCase(java.util.Locale.ROOT));
            doc.put("tasks", page.tasks().stream().map(Views::summary).toList());
            doc.put("next", page.next());
            out.printJson(doc);
            return ExitCode.OK;
        }
        Table t = new Table("ID", "TASK", "PRIORITY", "AT", "STATE", "ATTEMPT", "WORKER");
        for (TaskSummary s : page.tasks()) {
            TaskRecord r = s.record();
            t.row(s.id(), s.task(), s.priority(), Formats.instant(s.at()), r == null ? null : r.state(),
                    r == null ? null : r.attempt(), r == null ? null : r.worker());
        }
        out.print(t);
        if (page.next() != null) {
            out.note("more: --cursor " + page.next());
        }
        return ExitCode.OK;
    }
}
