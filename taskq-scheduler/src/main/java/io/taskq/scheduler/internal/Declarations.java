package io.taskq.scheduler.internal;

import io.taskq.Task;
import io.taskq.internal.Durations;
import io.taskq.internal.TaskDefinition;
import io.taskq.scheduler.MissedRunPolicy;
import io.taskq.scheduler.Periodic;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.SolarEvent;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Reads {@link Periodic} annotations into {@link PeriodicTask} declarations. */
public final class Declarations {

    private Declarations() {
    }

    /** The declarations on the {@code @Task} methods of these objects (or classes). */
    public static List<PeriodicTask> scan(Object... instances) {
        List<PeriodicTask> out = new ArrayList<>();
        for (Object instance : instances) {
            Class<?> start = instance instanceof Class<?> c ? c : instance.getClass();
            for (Class<?> c = start; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    Periodic[] ps = m.getAnnotationsByType(Periodic.class);
                    if (ps.length == 0 || m.isBridge()) {
                        continue;
                    }
                    String where = m.getDeclaringClass().getName() + "." + m.getName();
                    if (!m.isAnnotationPresent(Task.class)) {
                        throw new IllegalArgumentException("@Periodic on " + where + " needs @Task on the same method");
                    }
                    String taskName = TaskDefinition.of(m).name();
                    if (ps.length > 1) {
                        for (Periodic p : ps) {
                            if (p.name().isBlank()) {
                                throw new IllegalArgumentException("@Periodic on " + where
                                        + " is repeated; give each one a name");
                            }
                        }
                    }
                    for (Periodic p : ps) {
                        out.add(read(p, taskName, where));
                    }
                }
            }
        }
        return out;
    }

    private static PeriodicTask read(Periodic p, String taskName, String where) {
        String what = "@Periodic on " + where;
        try {
            String name = p.name().isBlank() ? taskName : p.name().trim();
            PeriodicTask.Builder b = PeriodicTask.builder(name, taskName, schedule(p, what))
                    .argsJson(p.args())
                    .queue(p.queue().isBlank() ? null : p.queue())
                    .priority(p.priority() < 0 ? null : p.priority())
                    .expires(Durations.parse(p.expires(), what + " expires"))
                    .enabled(p.enabled())
                    .description(p.description())
                    .overlap(p.overlap());
            b.missedRuns(switch (p.missedRuns()) {
                case RUN_ONCE -> MissedRunPolicy.runOnce();
                case SKIP -> MissedRunPolicy.skip();
                case RUN_ALL -> MissedRunPolicy.runAll(p.missedRunCap());
            });
            return b.build();
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(what) ? e
                    : new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static Schedule schedule(Periodic p, String what) {
        int kinds = (p.cron().isBlank() ? 0 : 1) + (p.every().isBlank() ? 0 : 1) + (p.solar().isBlank() ? 0 : 1);
        if (kinds != 1) {
            throw new IllegalArgumentException(what + ": set exactly one of cron, every and solar");
        }
        if (!p.cron().isBlank()) {
            return Schedule.cron(p.cron(), ZoneId.of(p.zone().trim()));
        }
        if (!p.every().isBlank()) {
            Duration every = Durations.parse(p.every(), what + " every");
            return Schedule.every(every);
        }
        if (Double.isNaN(p.latitude()) || Double.isNaN(p.longitude())) {
            throw new IllegalArgumentException(what + ": solar needs latitude and longitude");
        }
        return Schedule.solar(SolarEvent.fromSpecName(p.solar().trim()), p.latitude(), p.longitude());
    }
}
