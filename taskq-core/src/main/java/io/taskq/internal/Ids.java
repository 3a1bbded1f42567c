package io.taskq.internal;

import java.lang.management.ManagementFactory;
import java.util.UUID;

/** Task ids and process names. */
public final class Ids {
    private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();

    private Ids() {
    }

    /** A new random task id. */
    public static String newTaskId() {
        return UUID.randomUUID().toString();
    }

    /** "pid@host" of this JVM, used as the origin of messages and the prefix of worker ids. */
    public static String processName() {
        return PROCESS;
    }
}
