package io.taskq.cli;

import io.taskq.Limits;
import io.taskq.RateLimit;
import io.taskq.spi.LimitStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code taskq limits ...}: the limits' run-time values ({@link Limits}, docs/limits.md): list them, set a task's or a
 * queue's rate, a task's concurrency maximum, clear one. A change applies to every worker from its next claim, so it
 * asks first, as {@code control concurrency} to every worker does.
 */
@Command(name = "limits", description = {
        "The limits' run-time values, which every worker applies from its next claim instead of the declared ones"
                + " (@Task(rateLimit, concurrencyLimit), a queue's rate): list, rate, concurrency, clear. A change"
                + " adjusts a declared limit; a task declared without one gets none. Changes ask first, or need --yes.",
        "Celery: celery control rate_limit (per worker there; here every worker)."})
final class LimitsCommand extends CliCommand {

    @Command(name = "list", description = "The run-time values in force: limit, rate (with its burst), most running.")
    int list() {
        Map<String, LimitStore.Setting> overrides = taskq().limits().overrides();
        Output out = out();
        if (out.json()) {
            List<Object> view = new ArrayList<>();
            overrides.forEach((name, s) -> view.add(view(name, s)));
            out.printJson(view);
            return ExitCode.OK;
        }
        Table t = new Table("LIMIT", "RATE", "BURST", "MAX RUNNING");
        overrides.forEach((name, s) -> t.row(name, s.rate() == null ? null : Formats.rate(s.rate()),
                s.rate() == null ? null : s.rate().burst(), s.maxRunning() == 0 ? null : s.maxRunning()));
        out.print(t);
        if (overrides.isEmpty()) {
            out.note("no run-time limits: the declared ones apply");
        }
        return ExitCode.OK;
    }

    @Command(name = "rate", description = {
            "Sets the rate of a task's limit (every key of a per-key limit), or with --queue of a queue's rate limit"
                    + " (Taskq.Builder.queueRateLimit), instead of the declared one. RATE is <permits>/<unit> or"
                    + " <permits>/<n><unit>, unit ms, s, m, h, d: 20/s, 600/m, 5/10s."})
    int rate(@Parameters(paramLabel = "[TASK] RATE", arity = "1..2", hideParamSyntax = true,
                    description = "The task's name and the rate; only the rate with --queue.") List<String> args,
             @Option(names = "--queue", paramLabel = "QUEUE", description = "A queue's rate limit instead of a task's.")
             String queue,
             @Option(names = "--burst", paramLabel = "N", defaultValue = "1",
                     description = "Starts allowed at once after a quiet time (default: ${DEFAULT-VALUE}, evenly"
                             + " spaced).") int burst,
             @Option(names = {"-y", "--yes"}, description = "Do not ask; required without a terminal.") boolean yes) {
        if (args.size() != (queue == null ? 2 : 1)) {
            throw usage("rate", queue == null
                    ? "limits rate: give the task's name and the rate (or --queue QUEUE and the rate)"
                    : "limits rate --queue: give only the rate, not a task's name as well");
        }
        String name = queue == null ? Limits.task(nonBlank("rate", "TASK", args.get(0)))
                : Limits.queue(nonBlank("rate", "QUEUE", queue));
        RateLimit rate;
        try {
            rate = RateLimit.parse(args.get(args.size() - 1)).withBurst(burst);
        } catch (IllegalArgumentException e) {
            throw usage("rate", "limits rate: " + e.getMessage());
        }
        String text = Formats.rate(rate) + (burst > 1 ? " (burst " + burst + ")" : "");
        LimitStore.Setting before = taskq().limits().overrides().get(name);
        if (!out().confirm(yes, "set the rate of " + name + " to " + text + " on every worker")) {
            return ExitCode.ERROR;
        }
        taskq().limits().setRate(name, rate);
        return changed(name, "rate of " + name + ": " + text + " (was "
                + (before == null || before.rate() == null ? "the declared rate" : Formats.rate(before.rate())) + ")");
    }

    @Command(name = "concurrency", description = {"Sets the most running tasks of a task's concurrency limit (every"
            + " key of a per-key limit) across all workers, instead of the declared @Task(concurrencyLimit)."})
    int concurrency(@Parameters(index = "0", paramLabel = "TASK", description = "The task's name.") String task,
                    @Parameters(index = "1", paramLabel = "N", description = "Most running at once, at least 1.")
                    int max,
                    @Option(names = {"-y", "--yes"}, description = "Do not ask; required without a terminal.")
                    boolean yes) {
        if (max < 1) {
            throw usage("concurrency", "limits concurrency: N must be at least 1, was " + max);
        }
        String name = Limits.task(nonBlank("concurrency", "TASK", task));
        LimitStore.Setting before = taskq().limits().overrides().get(name);
        if (!out().confirm(yes, "set the most running of " + name + " to " + max + " on every worker")) {
            return ExitCode.ERROR;
        }
        taskq().limits().setConcurrency(name, max);
        return changed(name, "most running of " + name + ": " + max + " (was "
                + (before == null || before.maxRunning() == 0 ? "the declared maximum" : before.maxRunning()) + ")");
    }

    @Command(name = "clear", description = {"Drops a limit's run-time values (rate and maximum): its declared ones"
            + " apply again. Exit code 3 if it has none."})
    int clear(@Parameters(paramLabel = "TASK", arity = "0..1", description = "The task's name.") String task,
              @Option(names = "--queue", paramLabel = "QUEUE", description = "A queue's rate limit instead of a task's.")
              String queue,
              @Option(names = {"-y", "--yes"}, description = "Do not ask; required without a terminal.") boolean yes) {
        if ((task == null) == (queue == null)) {
            throw usage("clear", "limits clear: give a task's name or --queue QUEUE"
                    + (task != null ? ", not both" : ""));
        }
        String name = queue == null ? Limits.task(nonBlank("clear", "TASK", task))
                : Limits.queue(nonBlank("clear", "QUEUE", queue));
        if (!taskq().limits().overrides().containsKey(name)) {
            throw CliFailure.notFound("no run-time values for " + name + ": its declared limits apply");
        }
        if (!out().confirm(yes, "clear the run-time values of " + name + " on every worker")) {
            return ExitCode.ERROR;
        }
        taskq().limits().clear(name);
        return out().done(Views.of("limit", name, "cleared", true),
                "cleared " + name + ": its declared limits apply");
    }

    /** The change's outcome: the limit's values now (JSON), or the line for people. */
    private int changed(String name, String message) {
        LimitStore.Setting now = taskq().limits().overrides().get(name);
        return out().done(now == null ? Views.of("limit", name) : view(name, now), message);
    }

    /** A run-time value as {@code --json} shows it: {@code limit}, {@code rate} (or null), {@code maxRunning}. */
    static Map<String, Object> view(String name, LimitStore.Setting s) {
        RateLimit r = s.rate();
        return Views.of("limit", name, "rate", r == null ? null : Views.of("text", Formats.rate(r),
                        "permits", r.permits(), "period", r.period(), "burst", r.burst()),
                "maxRunning", s.maxRunning() == 0 ? null : s.maxRunning());
    }

    private String nonBlank(String sub, String what, String value) {
        if (value.isBlank()) {
            throw usage(sub, "limits " + sub + ": " + what + " must not be blank");
        }
        return value;
    }

    /** A usage error of the subcommand {@code sub}: its message, then a pointer to that subcommand's help. */
    private ParameterException usage(String sub, String message) {
        return new ParameterException(spec.commandLine().getSubcommands().get(sub), message);
    }
}
