package io.taskq.internal;

/**
 * A message's lineage (its {@code root_id} and {@code parent_id} headers), read from its text without decoding it:
 * the brokers copy it into the task's records when all they hold is the message.
 *
 * <p>The first occurrence of each header name is taken: taskq writes the headers before the body, so that is the
 * header (a name inside the arguments or inside another header's string value is either later or escaped). A value
 * that is not a plain JSON string (null, escaped characters) counts as none.
 *
 * @param rootId   the workflow's first task, or null
 * @param parentId the task whose finish sent this one, or null
 */
public record Lineage(String rootId, String parentId) {
    /** No lineage known. */
    public static final Lineage NONE = new Lineage(null, null);

    /** The lineage of an encoded envelope, {@link #NONE} if it names none. */
    public static Lineage ofMessage(String body) {
        if (body == null) {
            return NONE;
        }
        String root = header(body, "\"root_id\"");
        String parent = header(body, "\"parent_id\"");
        return root == null && parent == null ? NONE : new Lineage(root, parent);
    }

    /** The root id of a message, or {@code ownId} when it names none (a task is then its own root). */
    public static String rootOf(String body, String ownId) {
        String root = body == null ? null : header(body, "\"root_id\"");
        return root != null ? root : ownId;
    }

    private static String header(String body, String name) {
        int i = body.indexOf(name);
        if (i < 0) {
            return null;
        }
        i = skipSpace(body, i + name.length());
        if (i >= body.length() || body.charAt(i) != ':') {
            return null;
        }
        i = skipSpace(body, i + 1);
        if (i >= body.length() || body.charAt(i) != '"') {
            return null;
        }
        int end = body.indexOf('"', i + 1);
        if (end < 0 || end == i + 1 || body.lastIndexOf('\\', end) > i) {
            return null;
        }
        return body.substring(i + 1, end);
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
