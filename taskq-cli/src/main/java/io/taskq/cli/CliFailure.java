package io.taskq.cli;

/** A failure the CLI reports in one line and ends with its exit code ({@link ExitCode}). */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CliFailure notFound(String message) {
        return new CliFailure(ExitCode.NOT_FOUND, message);
    }

    int exitCode() {
        return exitCode;
    }
}
