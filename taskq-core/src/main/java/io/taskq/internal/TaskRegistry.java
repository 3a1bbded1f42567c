package io.taskq.internal;

import io.taskq.Task;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tasks this application can run: each name bound to a method of one registered instance. */
public final class TaskRegistry {

    /** A task definition with the instance its method is invoked on. */
    public record Registered(TaskDefinition definition, Object target) {
    }

    private final Map<String, Registered> byName;

    private TaskRegistry(Map<String, Registered> byName) {
        this.byName = byName;
    }

    /** Scans the instances' {@link Task} methods; a name defined twice is rejected with both places named. */
    public static TaskRegistry scan(Collection<?> instances) {
        Map<String, Registered> map = new LinkedHashMap<>();
        for (Object instance : instances) {
            List<Method> methods = new ArrayList<>();
            for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(Task.class) && !m.isBridge()) {
                        methods.add(m);
                    }
                }
            }
            if (methods.isEmpty()) {
                throw new IllegalArgumentException(instance.getClass().getName() + " has no @Task methods");
            }
            for (Method m : methods) {
                TaskDefinition def = TaskDefinition.of(m);
                Registered previous = map.putIfAbsent(def.name(), new Registered(def, instance));
                if (previous != null) {
                    throw new IllegalArgumentException("duplicate task name '" + def.name() + "': "
                            + describe(previous.definition().method()) + " and " + describe(m));
                }
            }
        }
        return new TaskRegistry(Map.copyOf(map));
    }

    private static String describe(Method m) {
        return m.toGenericString();
    }

    /** The registered task of that name. */
    public Optional<Registered> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Names of all registered tasks. */
    public java.util.Set<String> names() {
        return byName.keySet();
    }
}
