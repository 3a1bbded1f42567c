package io.taskq.scheduler.internal;

import io.taskq.Taskq;
import io.taskq.scheduler.PeriodicTask;
import java.util.List;
import java.util.Set;

/**
 * Refuses entries whose task this application does not register (unless allowed). Such an entry would publish runs
 * that no worker of this application runs, typically because of a typo in the task name, and they would wait in
 * their queue for ever.
 */
final class TaskNameCheck {
    private final Taskq taskq;
    private final boolean allowUnregistered;

    TaskNameCheck(Taskq taskq, boolean allowUnregistered) {
        this.taskq = taskq;
        this.allowUnregistered = allowUnregistered;
    }

    /** For declarations, found when the scheduler is built: a configuration error. */
    void refuseDeclared(PeriodicTask d) {
        String problem = problem(d);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** For entries added or updated at run time: a bad argument. */
    void refuse(PeriodicTask d) {
        String problem = problem(d);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    private String problem(PeriodicTask d) {
        if (allowUnregistered) {
            return null;
        }
        Set<String> names = taskq.taskNames();
        if (names.contains(d.task())) {
            return null;
        }
        List<String> known = names.stream().sorted().limit(20).toList();
        return "periodic task '" + d.name() + "' names task '" + d.task() + "', which this application does not "
                + "register (registered: " + (known.isEmpty() ? "none" : String.join(", ", known))
                + (names.size() > known.size() ? ", ..." : "") + "). Register it with Taskq.builder().tasks(...), "
                + "or, if other applications' workers run it, build the scheduler with "
                + "Scheduler.builder().allowUnregisteredTasks(true)";
    }
}
