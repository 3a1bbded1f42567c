package io.taskq.internal;

/**
 * The rule for task and queue names: not blank, and no control characters. Brokers frame a stored message with
 * line breaks around its task name (Redis: {@code <score>\n<task>\n<body>}), so a name with a line break could
 * move the boundary between name and body; control characters serve no purpose in a name anyway.
 */
public final class Names {
    private Names() {
    }

    /**
     * Checks a task or queue name.
     *
     * @param what  what the name names, for the message ("task name", "queue")
     * @param value the name
     * @return the name
     * @throws IllegalArgumentException if it is blank or holds a control character (the message gives its
     *                                  position and code)
     */
    public static String check(String what, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException(what + " has a control character (U+"
                        + String.format("%04X", (int) c) + ") at index " + i + ": control characters are not "
                        + "allowed in task and queue names");
            }
        }
        return value;
    }
}
