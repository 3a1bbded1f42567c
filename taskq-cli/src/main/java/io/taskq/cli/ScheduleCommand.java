package io.taskq.cli;

import io.taskq.TaskHandle;
import io.taskq.scheduler.AuditRecord;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.PeriodicTaskInfo;
import io.taskq.scheduler.Scheduler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code taskq schedule ...}: the scheduler's entries, through a {@link Scheduler} that is built but never started
 * (it edits the shared store; the applications' schedulers see each edit within seconds). Every change is audited
 * with the actor {@code cli:<user>}.
 */
@Command(name = "schedule", description = {
        "The periodic task entries (the scheduler's store): list, show, add, edit, enable, disable, delete, run"
                + " now, and the audit trail. Changes are audited as cli:$USER.",
        "Celery: django-celery-beat's admin; celery beat has no CLI for its entries."},
        subcommands = {ScheduleCommand.Add.class, ScheduleCommand.Edit.class})
final class ScheduleCommand extends CliCommand {

    Scheduler scheduler() {
        return root().session().scheduler();
    }

    @Command(name = "list", description = "Every entry: schedule, task, enabled, next and last run, run count.")
    int list() {
        List<PeriodicTaskInfo> entries = scheduler().entries();
        Output out = out();
        if (out.json()) {
            out.printJson(entries.stream().map(Views::entry).toList());
            return ExitCode.OK;
        }
        Instant now = Instant.now();
        Table t = new Table("NAME", "TASK", "SCHEDULE", "ENABLED", "NEXT RUN", "LAST RUN", "RUNS");
        for (PeriodicTaskInfo i : entries) {
            t.row(i.name(), i.task().task(), i.task().schedule().describe(), i.task().enabled() ? "yes" : "no",
                    i.nextRunAt() == null ? null : Formats.ago(i.nextRunAt(), now),
                    i.lastRunAt() == null ? null : Formats.ago(i.lastRunAt(), now), i.totalRunCount());
        }
        out.print(t);
        return ExitCode.OK;
    }

    @Command(name = "show", description = "One entry in full. Exit code 3 if there is none of that name.")
    int show(@Parameters(paramLabel = "NAME", description = "The entry's name.") String name) {
        PeriodicTaskInfo i = scheduler().entry(name)
                .orElseThrow(() -> CliFailure.notFound("no schedule entry '" + name + "'"));
        print(Views.entry(i));
        return ExitCode.OK;
    }

    @Command(name = "enable", description = "Enables an entry; its next run is the next fire after now.")
    int enable(@Parameters(paramLabel = "NAME", description = "The entry's name.") String name) {
        return changed(existing(name, () -> scheduler().enable(name, Actor.current())), "enabled");
    }

    @Command(name = "disable", description = "Disables an entry: no runs until enabled.")
    int disable(@Parameters(paramLabel = "NAME", description = "The entry's name.") String name) {
        return changed(existing(name, () -> scheduler().disable(name, Actor.current())), "disabled");
    }

    @Command(name = "delete", description = {"Deletes an entry. Asks first, or needs --yes. An entry declared in"
            + " code comes back when an application starts, unless its declaration is removed."})
    int delete(@Parameters(paramLabel = "NAME", description = "The entry's name.") String name,
               @Option(names = {"-y", "--yes"}, description = "Do not ask; required without a terminal.")
               boolean yes) {
        existing(name, () -> scheduler().entry(name).orElseThrow());
        if (!out().confirm(yes, "delete schedule entry '" + name + "'")) {
            return ExitCode.ERROR;
        }
        if (!scheduler().delete(name, Actor.current())) {
            throw CliFailure.notFound("no schedule entry '" + name + "'");
        }
        return out().done(Views.of("name", name, "deleted", true), "deleted schedule entry '" + name + "'");
    }

    @Command(name = "run", description = {"Submits one run of an entry now, outside its schedule (enabled or not);"
            + " prints the task id."})
    int run(@Parameters(paramLabel = "NAME", description = "The entry's name.") String name) {
        TaskHandle<Object> h = existing(name, () -> scheduler().runNow(name, Actor.current()));
        return out().done(Views.of("name", name, "id", h.id()), "submitted run " + h.id() + " of '" + name + "'");
    }

    @Command(name = "audit", description = "The newest changes to the entries, newest first: who did what.")
    int audit(@Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "50",
            description = "Most records (default: ${DEFAULT-VALUE}).") int limit) {
        List<AuditRecord> records = scheduler().audit(limit);
        Output out = out();
        if (out.json()) {
            out.printJson(records.stream().map(Views::audit).toList());
            return ExitCode.OK;
        }
        Table t = new Table("AT", "ENTRY", "ACTION", "ACTOR", "DETAIL");
        for (AuditRecord a : records) {
            t.row(Formats.instant(a.at()), a.entry(), a.action(), a.actor(), a.detail());
        }
        out.print(t);
        return ExitCode.OK;
    }

    /** Runs an action on a named entry, turning "no such entry" into exit code 3. */
    static <T> T existing(String name, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (NoSuchElementException e) {
            throw CliFailure.notFound("no schedule entry '" + name + "'");
        }
    }

    private int changed(PeriodicTaskInfo i, String what) {
        return out().done(Views.entry(i), what + " schedule entry '" + i.name() + "'"
                + (i.nextRunAt() == null ? "" : ", next run " + Formats.instant(i.nextRunAt())));
    }

    private void print(Map<String, Object> view) {
        if (out().json()) {
            out().printJson(view);
        } else {
            out().printFields(view);
        }
    }

    /** {@code schedule add NAME --task T --every D | --cron EXPR}. */
    @Command(name = "add", description = {"Creates an entry (interval or cron). Fails if the name exists."})
    static final class Add implements Callable<Integer> {
        @ParentCommand
        ScheduleCommand parent;

        @Parameters(paramLabel = "NAME", description = "The entry's name.")
        String name;

        @Option(names = "--disabled", description = "Create it disabled.")
        boolean disabled;

        @Mixin
        EntryOptions entry;

        @Override
        public Integer call() {
            PeriodicTask p = entry.newEntry(name);
            if (disabled) {
                p = p.toBuilder().enabled(false).build();
            }
            PeriodicTaskInfo i;
            try {
                i = parent.scheduler().add(p, Actor.current());
            } catch (IllegalStateException e) {
                throw new CliFailure(ExitCode.ERROR, e.getMessage() + " (use schedule edit to change it)");
            }
            return parent.changed(i, "added");
        }
    }

    /** {@code schedule edit NAME [options]}: changes the parts given, keeps the rest. */
    @Command(name = "edit", description = {"Changes the parts of an entry given as options and keeps the rest;"
            + " its run count and last run are kept. Exit code 3 if there is none of that name."})
    static final class Edit implements Callable<Integer> {
        @ParentCommand
        ScheduleCommand parent;

        @Parameters(paramLabel = "NAME", description = "The entry's name.")
        String name;

        @Mixin
        EntryOptions entry;

        @Override
        public Integer call() {
            if (!entry.any()) {
                throw new CliFailure(ExitCode.USAGE, "schedule edit: nothing to change (see --help)");
            }
            Scheduler s = parent.scheduler();
            PeriodicTaskInfo current = s.entry(name)
                    .orElseThrow(() -> CliFailure.notFound("no schedule entry '" + name + "'"));
            PeriodicTaskInfo i = existing(name, () -> s.update(entry.edited(current.task()), Actor.current()));
            return parent.changed(i, "updated");
        }
    }
}
