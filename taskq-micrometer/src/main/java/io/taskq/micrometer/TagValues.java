package io.taskq.micrometer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values one tag may take: the first {@code max} distinct ones are used as they are, every later one is folded
 * into {@link TaskqMeters#OTHER}, so that a flood of unknown task names from messages cannot grow the registry
 * without bound. Thread-safe; a value already seen costs one set lookup.
 */
final class TagValues {
    private static final Logger log = LoggerFactory.getLogger(TagValues.class);

    private final String tag;
    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile boolean full;

    TagValues(String tag, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("the cap of tag '" + tag + "' must be at least 1, not " + max);
        }
        this.tag = tag;
        this.max = max;
    }

    /** The tag value for {@code value}: itself, {@link TaskqMeters#UNKNOWN} for null, or {@link TaskqMeters#OTHER}. */
    String of(String value) {
        if (value == null) {
            return TaskqMeters.UNKNOWN;
        }
        if (seen.contains(value)) {
            return value;
        }
        return full ? TaskqMeters.OTHER : admit(value);
    }

    /** The {@link TaskqMeters#EXCEPTION} tag value of a failure: its simple class name (the full one if anonymous). */
    static String exception(Class<?> type) {
        String simple = type.getSimpleName();
        return simple.isEmpty() ? type.getName() : simple;
    }

    /** Whether {@code value} has a tag value of its own (it is not folded into {@link TaskqMeters#OTHER}). */
    boolean admits(String value) {
        return value != null && of(value).equals(value);
    }

    private synchronized String admit(String value) {
        if (seen.contains(value)) {
            return value;
        }
        if (seen.size() >= max) {
            full = true;
            log.warn("more than {} distinct values of the metrics tag '{}': '{}' and later new values are counted as"
                    + " '{}'", max, tag, value, TaskqMeters.OTHER);
            return TaskqMeters.OTHER;
        }
        seen.add(value);
        return value;
    }
}
