package io.taskq.cli;

/** The CLI's exit codes (docs/cli.md#exit-codes). */
final class ExitCode {
    /** Done. */
    static final int OK = 0;
    /** Something failed: Redis unreachable or refusing the credentials, an error the API reported. */
    static final int ERROR = 1;
    /** The command line is wrong, or a destructive command lacks --yes where it cannot ask. */
    static final int USAGE = 2;
    /** The task, dead letter, schedule entry or run-time limit asked for does not exist. */
    static final int NOT_FOUND = 3;

    private ExitCode() {
    }
}
