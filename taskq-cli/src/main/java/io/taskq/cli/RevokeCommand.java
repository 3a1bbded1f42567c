package io.taskq.cli;

import io.taskq.TaskHandle;
import io.taskq.spi.RevokeResult;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code taskq revoke ID}: removes a waiting task or interrupts a running one. */
@Command(name = "revoke", description = {
        "Revokes a task: a queued or delayed one is removed, a running one is interrupted at its worker's next"
                + " lease renewal. Exit code 3 if no queue knows the id (with --queue, the id is remembered and"
                + " a task submitted with it later is revoked on arrival).",
        "Celery: celery control revoke ID --terminate."})
final class RevokeCommand extends CliCommand {
    @Parameters(paramLabel = "ID", description = "The task id.")
    String id;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "revoked",
            description = "Kept in the task's REVOKED record (default: ${DEFAULT-VALUE}).")
    String reason;

    @Option(names = {"-q", "--queue"}, paramLabel = "QUEUE",
            description = "The task's queue (default: looked up in every queue).")
    String queue;

    @Override
    public Integer call() {
        TaskHandle<Object> h = queue != null ? taskq().handle(queue, id) : taskq().handle(id);
        RevokeResult r = h.revoke(reason + " (by " + Actor.current() + ")");
        Map<String, Object> view = Views.of("id", id, "queue", queue != null ? queue : h.queue(), "outcome", r.name());
        Output out = out();
        if (out.json()) {
            out.printJson(view);
        } else {
            out.println(switch (r) {
                case REMOVED -> "revoked " + id + ": it was waiting and is removed";
                case SIGNALLED -> "revoking " + id + ": it is running; its worker interrupts it at the next lease"
                        + " renewal";
                case ALREADY_FINISHED -> "not revoked: " + id + " had already finished";
                case NOT_FOUND -> queue != null
                        ? "queue '" + queue + "' does not know " + id + "; a task submitted with it soon is revoked"
                        + " on arrival"
                        : "no queue knows " + id;
            });
        }
        return r == RevokeResult.NOT_FOUND ? ExitCode.NOT_FOUND : ExitCode.OK;
    }
}
