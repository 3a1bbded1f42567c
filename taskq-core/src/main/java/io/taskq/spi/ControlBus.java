package io.taskq.spi;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Remote control of the workers of a broker's namespace, across processes (Celery's {@code celery control} and
 * {@code celery inspect}): commands are broadcast to every process that {@link #listen listens}, and each worker a
 * command is for puts its reply under the command's id, where the requester collects the replies. A broker that
 * offers it returns it from {@link Broker#controlBus()}; {@code Taskq.control()} uses it. The bus moves text: taskq
 * encodes the arguments and the replies (JSON) and decides what a command does. All methods are thread-safe.
 *
 * <p>Who may send commands is who may write the broker's namespace: on Redis, the ACL user of the key prefix.
 */
public interface ControlBus {
    /** Longest {@link ControlCommand#arguments()} a bus carries, in characters; longer commands are refused. */
    int MAX_ARGUMENTS_CHARS = 16 * 1024;
    /** Longest reply a bus carries, in characters; longer ones are refused. */
    int MAX_REPLY_CHARS = 1 << 20;

    /**
     * Broadcasts a command to the listeners of the namespace: those listening when it is sent receive it, later ones
     * do not (a command is not replayed to a process that starts afterwards).
     *
     * @throws IllegalArgumentException if its arguments are longer than {@link #MAX_ARGUMENTS_CHARS}
     */
    void send(ControlCommand command);

    /**
     * Receives the commands sent from now on (every command sent after this returns), in the order sent, on a
     * thread of the bus, until the returned subscription is closed. The handler should return soon: the next command
     * waits for it. Entries the bus cannot read (malformed, oversized) are skipped and logged; a failure of the
     * broker is retried until the subscription closes.
     */
    Subscription listen(Consumer<ControlCommand> handler);

    /**
     * Puts one reply to a command where {@link #awaitReply} finds it, kept for {@code ttl} (the requester may have
     * stopped waiting: then it goes away unread).
     *
     * @throws IllegalArgumentException if the reply is longer than {@link #MAX_REPLY_CHARS}
     */
    void reply(String commandId, String reply, Duration ttl);

    /**
     * The next reply to a command not taken yet, waiting up to {@code maxWait} for one; each reply is taken once.
     *
     * @return the reply, or null if none came within {@code maxWait}
     * @throws InterruptedException if the waiting thread is interrupted
     */
    String awaitReply(String commandId, Duration maxWait) throws InterruptedException;

    /** A listener's subscription ({@link #listen}). */
    interface Subscription extends AutoCloseable {
        /** Stops receiving; a command being handled finishes. Idempotent. */
        @Override
        void close();
    }
}
