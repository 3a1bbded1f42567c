package io.taskq.cli;

import io.taskq.TaskHandle;
import io.taskq.spi.RevokeResult;
import io.taskq.spi.TaskLocation;
import io.taskq.spi.TaskSummary;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taskq revoke ID}: removes a waiting task or interrupts a running one; {@code taskq revoke --root ID}: every
 * waiting or running task of a workflow, after asking.
 */
@Command(name = "revoke", description = {
        "Revokes a task: a queued or delayed one is removed, a running one is interrupted at its worker's next"
                + " lease renewal. Exit code 3 if no queue knows the id (with --queue, the id is remembered and"
                + " a task submitted with it later is revoked on arrival).",
        "With --root ID instead of a task id: every queued, delayed or running task of the workflow whose first"
                + " task is ID (taskq tasks --root ID lists them), listed again until no new one appears; asks"
                + " first, or needs --yes. Prints how many were revoked; exit code 3 if none of its tasks is found.",
        "Celery: celery control revoke ID --terminate."})
final class RevokeCommand extends CliCommand {
    @Parameters(paramLabel = "ID", arity = "0..1", description = "The task id (not with --root).")
    String id;

    @Option(names = "--root", paramLabel = "ID", description = "Revoke the workflow whose root task is ID instead.")
    String root;

    @Option(names = {"-y", "--yes"}, description = "With --root: do not ask; required without a terminal.")
    boolean yes;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "revoked",
            description = "Kept in the task's REVOKED record (default: ${DEFAULT-VALUE}).")
    String reason;

    @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE",
            description = "The task's queue (default: looked up in every queue).")
    String queue;

    @Override
    public Integer call() {
        if ((root == null) == (id == null)) {
            throw new CliFailure(ExitCode.USAGE, "give a task ID or --root ID (one of them)");
        }
        if (root != null) {
            if (queue != null) {
                throw new CliFailure(ExitCode.USAGE, "--queue does not go with --root: a workflow spans queues");
            }
            return revokeWorkflow();
        }
        TaskHandle<Object> h = queue != null ? taskq().handle(queue, id) : taskq().handle(id);
        RevokeResult r = h.revoke(reason + " (by " + Actor.current() + ")");
        Map<String, Object> view = Views.of("id", id, "queue", queue != null ? queue : h.queue(), "outcome", r.name());
        Output out = out();
        if (out.json()) {
            out.printJson(view);
        } else {
            out.println(switch (r) {
                case REMOVED -> "revoked " + id + ": it was waiting and is removed";
                case SIGNALLED -> "revoking " + id + ": it is running; its worker interrupts it at the next lease"
                        + " renewal";
                case ALREADY_FINISHED -> "not revoked: " + id + " had already finished";
                case NOT_FOUND -> queue != null
                        ? "queue '" + queue + "' does not know " + id + "; a task submitted with it soon is revoked"
                        + " on arrival"
                        : "no queue knows " + id;
            });
        }
        return r == RevokeResult.NOT_FOUND ? ExitCode.NOT_FOUND : ExitCode.OK;
    }

    private int revokeWorkflow() {
        List<TaskSummary> tasks = taskq().workflow(root);
        if (tasks.isEmpty()) {
            out().note("no queue holds a task of workflow " + root);
            return ExitCode.NOT_FOUND;
        }
        long live = tasks.stream().filter(s -> s.place() == TaskLocation.Place.QUEUED
                || s.place() == TaskLocation.Place.DELAYED || s.place() == TaskLocation.Place.RUNNING).count();
        if (!out().confirm(yes, "revoke workflow " + root + " (" + live + " of its " + tasks.size()
                + " task(s) queued, delayed or running)")) {
            return ExitCode.ERROR;
        }
        long revoked = taskq().revokeWorkflow(root, reason + " (by " + Actor.current() + ")");
        return out().done(Views.of("root", root, "revoked", revoked),
                "revoked " + revoked + " task(s) of workflow " + root);
    }
}
