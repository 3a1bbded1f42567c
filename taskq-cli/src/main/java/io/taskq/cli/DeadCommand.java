package io.taskq.cli;

import io.taskq.DeadLetter;
import io.taskq.DeadLetterFilter;
import io.taskq.spi.DeadLetterPage;
import io.taskq.spi.QueueAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taskq dead list|resubmit|delete|purge}: a queue's dead letters, one by id or many by a
 * {@link DeadLetterFilter} ({@link DeadFilterOptions}). A command on many needs a filter or {@code --all}, and asks
 * first.
 */
@Command(name = "dead", description = {
        "A queue's dead letters: tasks that used up their retries, could not be decoded, named an unknown task or"
                + " lost their worker too often. Many at once by --task, --error-type, --older-than, --newer-than.",
        "Celery has no dead letters; see docs/cli.md."})
final class DeadCommand extends CliCommand {
    private static final String YES = "Do not ask; required without a terminal.";
    private static final String LIMIT = "Most dead letters taken (default: every match).";
    private static final String ALL = "Every dead letter of the queue (a command on many needs a filter or this).";

    @Command(name = "list", description = {"The dead letters of a queue, newest first; with a filter, the matches"
            + " oldest first, continued with --cursor as printed."})
    int list(@Parameters(paramLabel = "QUEUE", description = "The queue.") String queue,
             @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "50",
                     description = "Most dead letters listed (default: ${DEFAULT-VALUE}).") int limit,
             @Mixin DeadFilterOptions filter,
             @Option(names = "--cursor", paramLabel = "CURSOR",
                     description = "Where a filtered listing goes on, as printed.") String cursor) {
        if (limit < 1) {
            throw new CliFailure(ExitCode.USAGE, "--limit must be at least 1");
        }
        List<DeadLetter> dead = new ArrayList<>();
        String next = null;
        if (filter.any() || cursor != null) {
            next = search(queue, filter.filter(), limit, cursor, dead);
        } else {
            dead.addAll(taskq().deadLetters(queue, limit));
        }
        Output out = out();
        if (out.json()) {
            out.printJson(dead.stream().map(Views::deadLetter).toList());
        } else {
            Table t = new Table("ID", "TASK", "DEAD AT", "ATTEMPT", "REASON");
            for (DeadLetter d : dead) {
                String reason = d.isComplete() ? d.reason() : "[incomplete: " + d.incomplete() + "] " + d.reason();
                t.row(d.id(), d.task(), Formats.instant(d.deadAt()), d.attempt(), Formats.abbreviate(reason, 100));
            }
            out.print(t);
        }
        if (next != null) {
            out.note("more: --cursor " + next);
        }
        return ExitCode.OK;
    }

    /**
     * Up to {@code limit} matches into {@code into}, through bounded {@code findDeadLetters} steps (a step may find
     * none); returns where to go on, or null when the whole set has been read.
     */
    private String search(String queue, DeadLetterFilter filter, int limit, String cursor, List<DeadLetter> into) {
        QueueAdmin admin = taskq().queueAdmin();
        String next = cursor;
        do {
            int step = Math.min(limit - into.size(), QueueAdmin.MAX_PAGE);
            DeadLetterPage page = admin.findDeadLetters(queue, filter, step, next);
            into.addAll(page.deadLetters());
            next = page.next();
        } while (next != null && into.size() < limit);
        return next;
    }

    @Command(name = "resubmit", description = {"Sends dead letters back to their queue, ready at once, with their"
            + " retry count reset: one by ID (exit code 3 if the queue has no such dead letter), or every match of"
            + " the filter options (or --all), oldest first, after asking (or --yes); incomplete ones are skipped."})
    int resubmit(@Parameters(paramLabel = "QUEUE", description = "The queue.") String queue,
                 @Parameters(paramLabel = "ID", arity = "0..1", description = "One dead letter's task id.") String id,
                 @Mixin DeadFilterOptions filter,
                 @Option(names = "--all", description = ALL) boolean all,
                 @Option(names = {"-n", "--limit"}, paramLabel = "N", description = LIMIT) Long limit,
                 @Option(names = {"-y", "--yes"}, description = YES) boolean yes) {
        if (id != null) {
            idAlone("resubmit", filter, all, limit);
            found(taskq().resubmitDeadLetter(queue, id), queue, id);
            return out().done(Views.of("queue", queue, "id", id, "resubmitted", true),
                    "resubmitted " + id + " to queue '" + queue + "'");
        }
        return bulk(queue, filter, all, limit, yes, "resubmit", "resubmitted",
                f -> taskq().resubmitDeadLetters(queue, f, limitOf(limit)));
    }

    @Command(name = "delete", description = {"Deletes dead letters after asking (or --yes): one by ID (exit code 3"
            + " if the queue has no such dead letter), or the dead letters that match the filter options (or --all),"
            + " oldest first; prints how many."})
    int delete(@Parameters(paramLabel = "QUEUE", description = "The queue.") String queue,
               @Parameters(paramLabel = "ID", arity = "0..1", description = "One dead letter's task id.") String id,
               @Mixin DeadFilterOptions filter,
               @Option(names = "--all", description = ALL) boolean all,
               @Option(names = {"-n", "--limit"}, paramLabel = "N", description = LIMIT) Long limit,
               @Option(names = {"-y", "--yes"}, description = YES) boolean yes) {
        if (id != null) {
            idAlone("delete", filter, all, limit);
            if (!out().confirm(yes, "delete dead letter " + id + " of queue '" + queue + "'")) {
                return ExitCode.ERROR;
            }
            found(taskq().queueAdmin().deleteDeadLetter(queue, id), queue, id);
            return out().done(Views.of("queue", queue, "id", id, "deleted", 1),
                    "deleted dead letter " + id + " of queue '" + queue + "'");
        }
        return bulk(queue, filter, all, limit, yes, "delete", "deleted",
                f -> taskq().deleteDeadLetters(queue, f, limitOf(limit)));
    }

    /** A command on one dead letter by ID takes no filter options, no --all and no --limit. */
    private static void idAlone(String verb, DeadFilterOptions filter, boolean all, Long limit) {
        if (filter.any() || all || limit != null) {
            throw new CliFailure(ExitCode.USAGE, "dead " + verb + ": an ID or filter options (or --all), not both");
        }
    }

    /** Exit code 3 when the queue had no dead letter with that id. */
    private static void found(boolean found, String queue, String id) {
        if (!found) {
            throw CliFailure.notFound("queue '" + queue + "' has no dead letter " + id);
        }
    }

    /** A command on the dead letters a filter takes: checked, confirmed, done; prints the count. */
    private int bulk(String queue, DeadFilterOptions filter, boolean all, Long limit, boolean yes, String verb,
                     String done, ToLongFunction<DeadLetterFilter> action) {
        limitOf(limit);
        if (filter.any() == all) {
            throw new CliFailure(ExitCode.USAGE, "dead " + verb + ": give filter options (--task, --error-type,"
                    + " --older-than, --newer-than) or --all" + (all ? ", not both" : ""));
        }
        DeadLetterFilter f = all ? DeadLetterFilter.all() : filter.filter();
        String which = (all ? "every dead letter" : "the dead letters (" + filter.describe() + ")")
                + " of queue '" + queue + "'" + (limit == null ? "" : ", at most " + limit);
        if (!out().confirm(yes, verb + " " + which)) {
            return ExitCode.ERROR;
        }
        long n = action.applyAsLong(f);
        return out().done(Views.of("queue", queue, "filter", filter.view(), done, n),
                done + " " + n + " dead letter(s) of queue '" + queue + "'");
    }

    private static long limitOf(Long limit) {
        if (limit != null && limit < 1) {
            throw new CliFailure(ExitCode.USAGE, "--limit must be at least 1");
        }
        return limit == null ? Long.MAX_VALUE : limit;
    }

    @Command(name = "purge", description = "Deletes every dead letter of a queue. Asks first, or needs --yes.")
    int purge(@Parameters(paramLabel = "QUEUE", description = "The queue.") String queue,
              @Option(names = {"-y", "--yes"}, description = YES) boolean yes) {
        QueueAdmin admin = taskq().queueAdmin();
        long count = admin.stats(queue).dead();
        if (!out().confirm(yes, "delete the " + count + " dead letter(s) of queue '" + queue + "'")) {
            return ExitCode.ERROR;
        }
        long purged = taskq().purgeDeadLetters(queue);
        return out().done(Views.of("queue", queue, "purged", purged),
                "deleted " + purged + " dead letter(s) of queue '" + queue + "'");
    }
}
