package io.taskq.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A remote-control command on its way to the workers of a broker's namespace ({@link ControlBus}). The bus carries
 * it as it is; taskq's workers read the name and the arguments.
 *
 * @param id          unique id; the replies are collected under it ({@link ControlBus#awaitReply})
 * @param name        the command ({@code ping}, {@code active}, {@code pause}...); a worker that does not know it
 *                    replies with an error
 * @param destination the worker ids or node names it is for; empty: every worker
 * @param arguments   the command's arguments as a JSON object's text ({@code {}} when none)
 * @param createdAt   when the requester sent it (its clock)
 * @param expiresAt   after this, a worker that reads it ignores it: the requester stopped waiting
 */
public record ControlCommand(String id, String name, List<String> destination, String arguments, Instant createdAt,
                             Instant expiresAt) {

    /** Checks the fields and copies the destination. */
    public ControlCommand {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        destination = List.copyOf(destination);
        Objects.requireNonNull(arguments, "arguments");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether a worker with this id and node name is one of the destinations (every worker if there are none). */
    public boolean isFor(String workerId, String nodeName) {
        return destination.isEmpty() || destination.contains(workerId) || destination.contains(nodeName);
    }
}
