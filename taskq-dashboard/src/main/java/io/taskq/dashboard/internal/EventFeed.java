package io.taskq.dashboard.internal;

import io.taskq.Event;
import io.taskq.EventPage;
import io.taskq.Events;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard's one subscription to the event stream ({@code Taskq.events()}), from the dashboard's start: it
 * counts finished tasks per minute (the overview's chart, like Flower: the time since the dashboard started), keeps
 * the latest events of recently seen tasks (a task's timeline), and pushes a summary to the open pages once a
 * second over server-sent events (never every event: a busy queue makes thousands a second).
 */
final class EventFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);
    /** Minutes of throughput kept. */
    static final int MINUTES = 60;
    /** Tasks whose events are kept for their timeline, and events per task. */
    static final int TASKS_KEPT = 10_000;
    static final int EVENTS_PER_TASK = 64;
    /** Events pushed to a page per second at most; the counts cover the rest. */
    static final int PUSHED_PER_TICK = 20;
    /** Pages of the stream a timeline lookup reads at most (each {@link Events#MAX_PAGE} events). */
    static final int TIMELINE_PAGES = 20;
    /** How long one live-update response lasts; the page's EventSource reconnects. */
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(5);

    private final DashboardConfig config;
    private final Events events;
    private final Events.Subscription subscription;
    private final Instant started;
    private final TreeMap<Long, long[]> perMinute = new TreeMap<>();
    private final LinkedHashMap<String, List<Event>> byTask = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<Event>> eldest) {
            return size() > TASKS_KEPT;
        }
    };
    private final ArrayDeque<Event> latest = new ArrayDeque<>();
    private long seen;
    private volatile boolean closed;

    EventFeed(DashboardConfig config) {
        this.config = config;
        this.started = config.clock().instant();
        Events e;
        try {
            e = config.taskq().events();
        } catch (UnsupportedOperationException ex) {
            e = null;
        }
        this.events = e;
        this.subscription = e == null ? null : e.subscribe(null, this::accept);
    }

    boolean available() {
        return events != null;
    }

    Instant started() {
        return started;
    }

    private synchronized void accept(Event e) {
        seen++;
        int kind = kind(e.type());
        if (kind >= 0) {
            long minute = e.timestamp().getEpochSecond() / 60;
            perMinute.computeIfAbsent(minute, m -> new long[3])[kind]++;
            while (perMinute.size() > MINUTES + 1) {
                perMinute.pollFirstEntry();
            }
        }
        String id = e.field(Event.F_ID);
        if (id != null && e.type().startsWith("task-")) {
            List<Event> l = byTask.computeIfAbsent(id, k -> new ArrayList<>());
            if (l.size() < EVENTS_PER_TASK) {
                l.add(e);
            }
        }
        latest.addLast(e);
        if (latest.size() > PUSHED_PER_TICK) {
            latest.removeFirst();
        }
    }

    /** 0 succeeded, 1 failed (failed for good, dead-lettered), 2 sent; -1 not counted. */
    private static int kind(String type) {
        return switch (type) {
            case Event.TASK_SUCCEEDED -> 0;
            case Event.TASK_FAILED, Event.TASK_DEAD_LETTERED -> 1;
            case Event.TASK_SENT -> 2;
            default -> -1;
        };
    }

    /** The last hour's finished tasks per minute: {@code [{at, succeeded, failed, sent}]}, oldest first. */
    synchronized List<Map<String, Object>> throughput() {
        long now = config.clock().instant().getEpochSecond() / 60;
        List<Map<String, Object>> out = new ArrayList<>();
        for (long m = now - MINUTES + 1; m <= now; m++) {
            long[] c = perMinute.getOrDefault(m, new long[3]);
            out.add(DashboardJson.of("at", Instant.ofEpochSecond(m * 60), "succeeded", c[0], "failed", c[1],
                    "sent", c[2]));
        }
        return out;
    }

    /**
     * A task's events, oldest first: those the feed saw since the dashboard started, and those found in the oldest
     * {@link #TIMELINE_PAGES} pages of the stream (it keeps a bounded history: older events are gone).
     */
    Map<String, Object> timeline(String id, boolean withArgs) {
        Map<String, Event> found = new TreeMap<>();
        int read = 0;
        boolean complete = false;
        if (events != null) {
            String position = null;
            for (int page = 0; page < TIMELINE_PAGES; page++) {
                EventPage p = events.since(position, Events.MAX_PAGE);
                read += p.events().size();
                for (Event e : p.events()) {
                    if (id.equals(e.field(Event.F_ID))) {
                        found.put(e.position(), e);
                    }
                }
                if (p.events().isEmpty() || p.next() == null || p.next().equals(position)) {
                    complete = true;
                    break;
                }
                position = p.next();
            }
        }
        synchronized (this) {
            for (Event e : byTask.getOrDefault(id, List.of())) {
                found.putIfAbsent(e.position() == null ? "~" + e.timestamp() : e.position(), e);
            }
        }
        List<Map<String, Object>> list = found.values().stream()
                .sorted((a, b) -> a.timestamp().compareTo(b.timestamp()))
                .map(e -> view(e, withArgs)).toList();
        return DashboardJson.of("events", list, "scanned", read, "complete", complete, "available", events != null);
    }

    /** An event as the pages show it; its {@code args} only to who may see arguments. */
    static Map<String, Object> view(Event e, boolean withArgs) {
        Map<String, String> fields = new LinkedHashMap<>(e.fields());
        if (!withArgs) {
            fields.remove(Event.F_ARGS);
        }
        return DashboardJson.of("position", e.position(), "type", e.type(), "timestamp", e.timestamp(),
                "fields", fields);
    }

    /**
     * {@code GET /api/events/stream}: server-sent events, one {@code tick} a second when something happened
     * ({@code {"seen": total events so far, "events": [the latest]}}), a comment every 15 s otherwise, for
     * {@link #STREAM_LIFETIME}.
     */
    Object stream(Call c) throws IOException {
        boolean withArgs = c.seesArguments(config);
        Map<String, String> headers = new LinkedHashMap<>(DashboardApp.noStore());
        headers.put("X-Accel-Buffering", "no");
        try (OutputStream out = c.exchange.stream("text/event-stream; charset=utf-8", headers)) {
            write(out, ": taskq dashboard live updates\nretry: 3000\n\n");
            long last = -1;
            Instant end = config.clock().instant().plus(STREAM_LIFETIME);
            int idle = 0;
            while (!closed && config.clock().instant().isBefore(end)) {
                // One push a second at most, whatever the rate of events.
                Thread.sleep(1000);
                Object tick;
                synchronized (this) {
                    tick = seen == last ? null : DashboardJson.of("seen", seen,
                            "events", latest.stream().map(e -> view(e, withArgs)).toList());
                    last = seen;
                }
                if (tick != null) {
                    write(out, "event: tick\ndata: " + new String(DashboardJson.bytes(tick), StandardCharsets.UTF_8)
                            + "\n\n");
                    idle = 0;
                } else if (++idle >= 15) {
                    write(out, ": idle\n\n");
                    idle = 0;
                }
            }
        } catch (IOException e) {
            LOG.debug("a live-update page went away", e);
        } catch (InterruptedException e) {
            // The server is stopping.
            Thread.currentThread().interrupt();
        }
        return Call.Streamed.DONE;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        if (subscription != null) {
            subscription.close();
        }
    }
}
