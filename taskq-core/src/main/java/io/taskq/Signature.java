package io.taskq;

import java.time.Duration;
import java.util.List;

/**
 * A task with some of its arguments bound, whose <em>last</em> argument is given later: the result of the step
 * before it in a {@link Chain}, the result of the task it is a callback of ({@link TaskRequest#link}), or the
 * {@link TaskFailure} of the task it is an error callback of ({@link TaskRequest#linkError}). Celery's partial
 * signature ({@code task.s(customer)}). Immutable: every option method returns a copy.
 *
 * <pre>{@code
 * // Reports.build(String customer, Invoice invoice) receives the invoice from the step before:
 * Signature<Invoice, Report> build = Signature.of(Reports::build, "acme").queue("reports");
 * }</pre>
 *
 * <p>The compiler checks the bound arguments against the method, and {@code P} against what comes before it. A
 * task that takes no result is a plain {@link TaskRequest} (Celery's immutable signature, {@code si()}).
 *
 * @param <P> the type of the last parameter, which the previous result fills
 * @param <R> the task's result type
 */
public final class Signature<P, R> {
    private final TaskRequest<R> request;

    private Signature(TaskRequest<R> request) {
        this.request = request;
    }

    /**
     * A signature of a task method with 1 parameter(s), the first 0 bound here; the last receives the result
     * of the step before (or the result of the task it is a callback of).
     */
    public static <T, A, R> Signature<A, R> of(TaskRef.Fn1<T, A, R> task) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {}));
    }

    /** As {@link #of(TaskRef.Fn1)}, for a method without a result. */
    public static <T, A> Signature<A, Void> of(TaskRef.Proc1<T, A> task) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {}));
    }

    /**
     * A signature of a task method with 2 parameter(s), the first 1 bound here; the last receives the result
     * of the step before (or the result of the task it is a callback of).
     */
    public static <T, A, B, R> Signature<B, R> of(TaskRef.Fn2<T, A, B, R> task, A a) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {a}));
    }

    /** As {@link #of(TaskRef.Fn2, Object)}, for a method without a result. */
    public static <T, A, B> Signature<B, Void> of(TaskRef.Proc2<T, A, B> task, A a) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {a}));
    }

    /**
     * A signature of a task method with 3 parameter(s), the first 2 bound here; the last receives the result
     * of the step before (or the result of the task it is a callback of).
     */
    public static <T, A, B, C, R> Signature<C, R> of(TaskRef.Fn3<T, A, B, C, R> task, A a, B b) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {a, b}));
    }

    /** As {@link #of(TaskRef.Fn3, Object, Object)}, for a method without a result. */
    public static <T, A, B, C> Signature<C, Void> of(TaskRef.Proc3<T, A, B, C> task, A a, B b) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {a, b}));
    }

    /**
     * A signature of a task method with 4 parameter(s), the first 3 bound here; the last receives the result
     * of the step before (or the result of the task it is a callback of).
     */
    public static <T, A, B, C, D, R> Signature<D, R> of(TaskRef.Fn4<T, A, B, C, D, R> task, A a, B b, C c) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {a, b, c}));
    }

    /** As {@link #of(TaskRef.Fn4, Object, Object, Object)}, for a method without a result. */
    public static <T, A, B, C, D> Signature<D, Void> of(TaskRef.Proc4<T, A, B, C, D> task, A a, B b, C c) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {a, b, c}));
    }

    /**
     * A signature of a task method with 5 parameter(s), the first 4 bound here; the last receives the result
     * of the step before (or the result of the task it is a callback of).
     */
    public static <T, A, B, C, D, E, R> Signature<E, R> of(TaskRef.Fn5<T, A, B, C, D, E, R> task, A a, B b, C c, D d) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {a, b, c, d}));
    }

    /** As {@link #of(TaskRef.Fn5, Object, Object, Object, Object)}, for a method without a result. */
    public static <T, A, B, C, D, E> Signature<E, Void> of(TaskRef.Proc5<T, A, B, C, D, E> task, A a, B b, C c, D d) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {a, b, c, d}));
    }

    /**
     * A signature of a task method with 6 parameter(s), the first 5 bound here; the last receives the result
     * of the step before (or the result of the task it is a callback of).
     */
    public static <T, A, B, C, D, E, F, R> Signature<F, R> of(TaskRef.Fn6<T, A, B, C, D, E, F, R> task, A a, B b, C c, D d, E e) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {a, b, c, d, e}));
    }

    /** As {@link #of(TaskRef.Fn6, Object, Object, Object, Object, Object)}, for a method without a result. */
    public static <T, A, B, C, D, E, F> Signature<F, Void> of(TaskRef.Proc6<T, A, B, C, D, E, F> task, A a, B b, C c, D d, E e) {
        return new Signature<>(TaskRequest.partial(task, new Object[] {a, b, c, d, e}));
    }

    /**
     * A signature by task name, with {@code args} bound; the previous result is appended to them. Its result
     * decodes as plain JSON values.
     *
     * @throws IllegalArgumentException if the name is blank or holds a control character
     */
    public static Signature<Object, Object> named(String taskName, Object... args) {
        return new Signature<>(TaskRequest.named(taskName, args));
    }

    /** As {@link #named(String, Object...)}, with the result decoded as {@code resultType}. */
    public static <R> Signature<Object, R> named(String taskName, Class<R> resultType, Object... args) {
        return new Signature<>(TaskRequest.named(taskName, resultType, args));
    }

    /** Sends to this queue instead of the task's default (see {@link TaskRequest#queue}). */
    public Signature<P, R> queue(String queue) {
        return new Signature<>(request.queue(queue));
    }

    /** Priority 0..9 instead of the task's default (see {@link TaskRequest#priority}). */
    public Signature<P, R> priority(int priority) {
        return new Signature<>(request.priority(priority));
    }

    /** Runs no earlier than this delay after the step before it ends (see {@link TaskRequest#countdown}). */
    public Signature<P, R> countdown(Duration countdown) {
        return new Signature<>(request.countdown(countdown));
    }

    /** A time limit for each attempt (see {@link TaskRequest#timeLimit}). */
    public Signature<P, R> timeLimit(Duration timeLimit) {
        return new Signature<>(request.timeLimit(timeLimit));
    }

    /** A soft time limit for each attempt (see {@link TaskRequest#softTimeLimit}). */
    public Signature<P, R> softTimeLimit(Duration softTimeLimit) {
        return new Signature<>(request.softTimeLimit(softTimeLimit));
    }

    /** Adds a callback run with this task's result when it succeeds (see {@link TaskRequest#link(Signature)}). */
    public Signature<P, R> link(Signature<? super R, ?> callback) {
        return new Signature<>(request.link(callback));
    }

    /** Adds an error callback run when this task fails for good (see {@link TaskRequest#linkError(Signature)}). */
    public Signature<P, R> linkError(Signature<? super TaskFailure, ?> errback) {
        return new Signature<>(request.linkError(errback));
    }

    /** The task name. */
    public String taskName() {
        return request.taskName();
    }

    /** The bound arguments (without the one given later). */
    public List<Object> args() {
        return request.args();
    }

    /** The step this signature makes: its request, taking the previous result. */
    CanvasStep step() {
        return new CanvasStep(request, true);
    }

    @Override
    public String toString() {
        return "Signature(" + request.taskName() + ", " + request.args() + " + previous result)";
    }
}
