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

    /**
     * The id of a workflow's follow-up: derived from its parent's id, its kind ("link", "link_error", "chain") and
     * its position, so that it is the same whoever computes it and a follow-up sent twice is one task.
     */
    public static String followUp(String parentId, String kind, int index) {
        return UUID.nameUUIDFromBytes((parentId + "/" + kind + "/" + index)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    /** "pid@host" of this JVM, used as the origin of messages and the prefix of worker ids. */
    public static String processName() {
        return PROCESS;
    }

    /** This JVM's process id. */
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * The host name as the JVM names itself ({@link #processName()} after the "@"), without a DNS lookup that could
     * hang a worker's start.
     */
    public static String host() {
        int at = PROCESS.indexOf('@');
        return at >= 0 ? PROCESS.substring(at + 1) : PROCESS;
    }
}
