package io.taskq.cli;

import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.Events;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code taskq events}: the event stream, one line per event (Celery's {@code celery events --dump}). */
@Command(name = "events", description = {
        "The environment's event stream, one line per event: timestamp, type, position, then the fields. Without"
                + " --follow: the events kept after --since (all kept if not given), then exit. With --follow:"
                + " the events after --since (only new ones if not given), until Ctrl-C. --json prints one JSON"
                + " object per line.",
        "Celery: celery events --dump."})
final class EventsCommand extends CliCommand {
    /** The fields printed first, in this order; the others follow sorted by name. */
    private static final List<String> LEADING = List.of(Event.F_ID, Event.F_NAME, Event.F_QUEUE, Event.F_WORKER);

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted (Ctrl-C).")
    boolean follow;

    @Option(names = "--since", paramLabel = "POSITION",
            description = "Start after this position (as printed in each line, or a page's next).")
    String since;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", split = ",",
            description = "Only these types (comma-separated or repeated); a trailing * matches a prefix:"
                    + " task-failed,task-dead-lettered or worker-*.")
    List<String> types;

    @Option(names = {"-n", "--limit"}, paramLabel = "N",
            description = "Without --follow: print at most N events (after the type filter).")
    Integer limit;

    @Override
    public Integer call() throws InterruptedException {
        if (limit != null && limit < 1) {
            throw new CliFailure(ExitCode.USAGE, "--limit must be at least 1");
        }
        Events events = taskq().events();
        if (follow) {
            follow(events);
            return ExitCode.OK;
        }
        String position = since;
        int printed = 0;
        while (limit == null || printed < limit) {
            EventPage page = events.since(position, Events.MAX_PAGE);
            for (Event e : page.events()) {
                if (matches(e) && (limit == null || printed < limit)) {
                    print(e);
                    printed++;
                }
            }
            if (page.events().isEmpty() || page.next() == null || page.next().equals(position)) {
                break;
            }
            position = page.next();
        }
        return ExitCode.OK;
    }

    /** Subscribes and blocks; Ctrl-C runs the JVM's shutdown hooks, one of which closes the subscription. */
    private void follow(Events events) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Events.Subscription sub = events.subscribe(since, e -> {
            if (matches(e)) {
                print(e);
            }
        });
        Thread hook = new Thread(() -> {
            sub.close();
            stopped.countDown();
        }, "taskq-cli-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        stopped.await();
    }

    boolean matches(Event e) {
        if (types == null || types.isEmpty()) {
            return true;
        }
        for (String t : types) {
            if (t.endsWith("*") ? e.type().startsWith(t.substring(0, t.length() - 1)) : e.type().equals(t)) {
                return true;
            }
        }
        return false;
    }

    private void print(Event e) {
        Output out = out();
        if (out.json()) {
            out.printJsonLine(Views.event(e));
        } else {
            out.println(line(e));
        }
    }

    /** {@code <timestamp> <type> <position> id=... name=... queue=... worker=... <other fields sorted>}. */
    static String line(Event e) {
        StringBuilder b = new StringBuilder();
        b.append(e.timestamp()).append(' ').append(e.type()).append(' ').append(e.position());
        Map<String, String> rest = new TreeMap<>(e.fields());
        List<String> order = new ArrayList<>();
        for (String k : LEADING) {
            if (rest.containsKey(k)) {
                order.add(k);
            }
        }
        rest.keySet().stream().filter(k -> !LEADING.contains(k)).forEach(order::add);
        for (String k : order) {
            b.append(' ').append(k).append('=').append(quote(rest.get(k)));
        }
        return b.toString();
    }

    /** A value as it can be read back: bare if it has no space, quote or newline, else double-quoted, escaped. */
    static String quote(String v) {
        if (v == null) {
            return "";
        }
        if (!v.isEmpty() && v.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\n' || c == '\r' || c == '\t'
                || c == '\\')) {
            return v;
        }
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t") + '"';
    }
}
