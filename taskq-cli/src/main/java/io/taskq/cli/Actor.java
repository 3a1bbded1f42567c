package io.taskq.cli;

/** Who runs the CLI, for the scheduler's audit trail and revoke reasons: {@code cli:<user>}. */
final class Actor {
    private Actor() {
    }

    static String current() {
        String user = System.getenv("USER");
        if (user == null || user.isBlank()) {
            user = System.getProperty("user.name", "unknown");
        }
        return "cli:" + user;
    }
}
