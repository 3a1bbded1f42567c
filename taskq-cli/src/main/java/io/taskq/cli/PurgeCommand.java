package io.taskq.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq purge QUEUE}: deletes a queue's ready tasks (Celery's {@code celery purge -Q}). */
@Command(name = "purge", description = {
        "Deletes the ready tasks of a queue (due delayed ones too); delayed tasks whose time has not come, running"
                + " tasks and dead letters stay. Purged tasks vanish: no record, no event. Asks first, or needs"
                + " --yes. Prints how many were deleted.",
        "Celery: celery purge -Q QUEUE."})
final class PurgeCommand extends CliCommand {
    @Parameters(paramLabel = "QUEUE", description = "The queue.")
    String queue;

    @Option(names = {"-y", "--yes"}, description = "Do not ask; required without a terminal.")
    boolean yes;

    @Override
    public Integer call() {
        long ready = taskq().stats(queue).ready();
        if (!out().confirm(yes, "delete the " + ready + " ready task(s) of queue '" + queue + "'")) {
            return ExitCode.ERROR;
        }
        long purged = taskq().purge(queue);
        return out().done(Views.of("queue", queue, "purged", purged),
                "purged " + purged + " ready task(s) of queue '" + queue + "'");
    }
}
