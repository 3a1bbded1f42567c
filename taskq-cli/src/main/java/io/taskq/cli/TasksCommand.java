package io.taskq.cli;

import io.taskq.spi.QueueAdmin;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskPage;
import io.taskq.spi.TaskRecord;
import io.taskq.spi.TaskSummary;
import io.taskq.Taskq;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taskq tasks QUEUE --state S}: one page of the tasks of a queue in one place; {@code taskq tasks --root ID}:
 * the tasks of a workflow in every queue and place.
 */
@Command(name = "tasks", description = {
        "One page of a queue's tasks in one place (queued in claim order, delayed by due time, running by lease"
                + " deadline, finished by record expiry, dead by time of death), oldest first unless --newest."
                + " The next page: the same command with --cursor as printed.",
        "With --root ID instead of a queue: the tasks of the workflow whose first task is ID, in every queue and"
                + " place (each queue's places read up to " + Taskq.WORKFLOW_PAGES + " pages of "
                + QueueAdmin.MAX_PAGE + " tasks). Exit code 3 if none is found.",
        "Celery: Flower's task list per state; root_id."})
final class TasksCommand extends CliCommand {
    @Parameters(paramLabel = "QUEUE", arity = "0..1", description = "The queue (not with --root).")
    String queue;

    @Option(names = "--root", paramLabel = "ID", description = "List the workflow whose root task is ID instead.")
    String root;

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
        if ((root == null) == (queue == null)) {
            throw new CliFailure(ExitCode.USAGE, "give a QUEUE or --root ID (one of them)");
        }
        if (root != null) {
            return workflow();
        }
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

    private int workflow() {
        List<TaskSummary> tasks = taskq().workflow(root);
        Output out = out();
        if (out.json()) {
            out.printJson(Views.of("root", root, "tasks", tasks.stream().map(Views::summary).toList()));
        } else {
            Table t = new Table("ID", "QUEUE", "PLACE", "TASK", "STATE", "PARENT", "AT");
            for (TaskSummary s : tasks) {
                TaskRecord r = s.record();
                t.row(s.id(), s.queue(), s.place().name().toLowerCase(Locale.ROOT), s.task(),
                        r == null ? null : r.state(), r == null ? null : r.parentId(), Formats.instant(s.at()));
            }
            out.print(t);
        }
        if (tasks.isEmpty()) {
            out.note("no queue holds a task of workflow " + root);
            return ExitCode.NOT_FOUND;
        }
        return ExitCode.OK;
    }
}
