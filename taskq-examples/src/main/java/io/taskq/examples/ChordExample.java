package io.taskq.examples;

import io.taskq.Chain;
import io.taskq.ChainHandle;
import io.taskq.Chord;
import io.taskq.ChordHandle;
import io.taskq.Group;
import io.taskq.Signature;
import io.taskq.Task;
import io.taskq.TaskFailedException;
import io.taskq.TaskFailure;
import io.taskq.TaskRequest;
import io.taskq.Taskq;
import io.taskq.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Chords (docs/workflows.md): a callback that totals the results of a group, once every member is done; a chord whose
 * member fails runs its error callback instead; a chord as a step of a chain.
 */
public final class ChordExample {
    private ChordExample() {
    }

    /** The tasks. */
    public static class Sales {
        /** A region's sales; the region "closed" fails. */
        @Task(name = "sales.region", maxRetries = 0)
        public long region(String name) {
            if (name.equals("closed")) {
                throw new IllegalStateException("region " + name + " reports nothing");
            }
            return name.length() * 1000L;
        }

        /** Totals the regions' sales (the chord's callback: every member's result, in member order). */
        @Task(name = "sales.total")
        public long total(String currency, List<Long> regions) {
            System.out.println("regions " + regions + " " + currency);
            return regions.stream().mapToLong(Long::longValue).sum();
        }

        /** Opens the books for a period, before the regions report. */
        @Task(name = "sales.open")
        public String open(String period) {
            return period;
        }

        /** Publishes a total. */
        @Task(name = "sales.publish")
        public String publish(long total) {
            return "published " + total;
        }

        /** Told when a region fails: the failure names the member (type taskq.ChordError). */
        @Task(name = "sales.alert")
        public void alert(String team, TaskFailure failure) {
            System.out.println("alert " + team + ": " + failure.error().type());
        }
    }

    private static Group<Long> regions(String... names) {
        List<TaskRequest<Long>> l = new ArrayList<>();
        for (String n : names) {
            l.add(TaskRequest.of(Sales::region, n));
        }
        return Group.of(l);
    }

    /** Runs the example. */
    public static void main(String[] args) {
        Duration wait = Duration.ofSeconds(20);
        try (Taskq taskq = ExampleEnvironment.taskqBuilder().tasks(new Sales()).build()) {
            taskq.startWorker(WorkerOptions.builder().concurrency(4).build());

            ChordHandle<Long> total = taskq.submit(Chord.of(regions("north", "south", "east"),
                    Signature.of(Sales::total, "EUR")));
            System.out.println("total: " + total.get(wait));

            ChordHandle<Long> broken = taskq.submit(Chord.of(regions("west", "closed"),
                    Signature.of(Sales::total, "EUR")).linkError(Signature.of(Sales::alert, "sales-team")));
            try {
                broken.get(wait);
            } catch (TaskFailedException e) {
                System.out.println("chord failed: " + e.error().type());
            }

            ChainHandle<String> month = taskq.submit(Chain.of(TaskRequest.of(Sales::open, "2026-11"))
                    .then(Chord.of(regions("north", "south"), Signature.of(Sales::total, "EUR")))
                    .then(Signature.of(Sales::publish)));
            System.out.println("month: " + month.get(wait));
        }
    }
}
