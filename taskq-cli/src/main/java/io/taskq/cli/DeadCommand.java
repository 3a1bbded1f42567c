package io.taskq.cli;

import io.taskq.DeadLetter;
import io.taskq.spi.QueueAdmin;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq dead list|resubmit|purge}: a queue's dead letters. */
@Command(name = "dead", description = {
        "A queue's dead letters: tasks that used up their retries, could not be decoded, named an unknown task or"
                + " lost their worker too often.",
        "Celery has no dead letters; see docs/cli.md."})
final class DeadCommand extends CliCommand {

    @Command(name = "list", description = "The dead letters of a queue, newest first.")
    int list(@Parameters(paramLabel = "QUEUE", description = "The queue.") String queue,
             @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "50",
                     description = "Most dead letters listed (default: ${DEFAULT-VALUE}).") int limit) {
        if (limit < 1) {
            throw new CliFailure(ExitCode.USAGE, "--limit must be at least 1");
        }
        List<DeadLetter> dead = taskq().deadLetters(queue, limit);
        Output out = out();
        if (out.json()) {
            out.printJson(dead.stream().map(Views::deadLetter).toList());
            return ExitCode.OK;
        }
        Table t = new Table("ID", "TASK", "DEAD AT", "ATTEMPT", "REASON");
        for (DeadLetter d : dead) {
            String reason = d.isComplete() ? d.reason() : "[incomplete: " + d.incomplete() + "] " + d.reason();
            t.row(d.id(), d.task(), Formats.instant(d.deadAt()), d.attempt(), Formats.abbreviate(reason, 100));
        }
        out.print(t);
        return ExitCode.OK;
    }

    @Command(name = "resubmit", description = {"Sends a dead letter back to its queue, ready at once, with its retry"
            + " count reset. Exit code 3 if the queue has no such dead letter."})
    int resubmit(@Parameters(paramLabel = "QUEUE", description = "The queue.") String queue,
                 @Parameters(paramLabel = "ID", description = "The dead letter's task id.") String id) {
        if (!taskq().resubmitDeadLetter(queue, id)) {
            throw CliFailure.notFound("queue '" + queue + "' has no dead letter " + id);
        }
        return out().done(Views.of("queue", queue, "id", id, "resubmitted", true),
                "resubmitted " + id + " to queue '" + queue + "'");
    }

    @Command(name = "purge", description = "Deletes every dead letter of a queue. Asks first, or needs --yes.")
    int purge(@Parameters(paramLabel = "QUEUE", description = "The queue.") String queue,
              @Option(names = {"-y", "--yes"}, description = "Do not ask; required without a terminal.") boolean yes) {
        QueueAdmin admin = taskq().queueAdmin();
        long count = admin.stats(queue).dead();
        if (!out().confirm(yes, "delete the " + count + " dead letter(s) of queue '" + queue + "'")) {
            return ExitCode.ERROR;
        }
        long purged = taskq().purgeDeadLetters(queue);
        return out().done(Views.of("queue", queue, "purged", purged), "deleted " + purged + " dead letter(s) of queue '" + queue + "'");
    }
}
