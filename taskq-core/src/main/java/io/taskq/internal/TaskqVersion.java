package io.taskq.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version of taskq this JVM runs, as the build wrote it into {@code taskq-version.properties} (a filtered
 * resource, so that it is right in tests too, where there is no jar manifest); shown in the worker registry.
 */
public final class TaskqVersion {
    private static final String VERSION = read();

    private TaskqVersion() {
    }

    /** The version, or "unknown" if the resource is missing or was not filtered. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = TaskqVersion.class.getResourceAsStream("taskq-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "");
            return v.isBlank() || v.startsWith("${") ? "unknown" : v.trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
