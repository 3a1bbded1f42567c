package io.taskq;

import java.io.Serializable;

/**
 * Method references to {@link Task} methods, so that submitting is checked by the compiler:
 * {@code taskq.submit(EmailTasks::send, to, subject)} only compiles when the arguments match {@code send}'s
 * parameters, and the handle has {@code send}'s result type.
 *
 * <p>The interfaces are {@link Serializable} only because that is how Java exposes which method a reference
 * points to ({@link java.lang.invoke.SerializedLambda}); taskq reads that once per call site and never
 * serializes anything with Java serialization. The reference is never invoked on the client: the worker runs
 * the method on its own registered instance.
 */
public final class TaskRef {
    private TaskRef() {
    }

    /** A task method with 0 parameters and a result. */
    @FunctionalInterface
    public interface Fn0<T, R> extends Serializable {
        /** Never called by taskq on the client. */
        R apply(T target) throws Exception;
    }

    /** A task method with 0 parameters and no result. */
    @FunctionalInterface
    public interface Proc0<T> extends Serializable {
        /** Never called by taskq on the client. */
        void apply(T target) throws Exception;
    }

    /** A task method with 1 parameter and a result. */
    @FunctionalInterface
    public interface Fn1<T, A, R> extends Serializable {
        /** Never called by taskq on the client. */
        R apply(T target, A a) throws Exception;
    }

    /** A task method with 1 parameter and no result. */
    @FunctionalInterface
    public interface Proc1<T, A> extends Serializable {
        /** Never called by taskq on the client. */
        void apply(T target, A a) throws Exception;
    }

    /** A task method with 2 parameters and a result. */
    @FunctionalInterface
    public interface Fn2<T, A, B, R> extends Serializable {
        /** Never called by taskq on the client. */
        R apply(T target, A a, B b) throws Exception;
    }

    /** A task method with 2 parameters and no result. */
    @FunctionalInterface
    public interface Proc2<T, A, B> extends Serializable {
        /** Never called by taskq on the client. */
        void apply(T target, A a, B b) throws Exception;
    }

    /** A task method with 3 parameters and a result. */
    @FunctionalInterface
    public interface Fn3<T, A, B, C, R> extends Serializable {
        /** Never called by taskq on the client. */
        R apply(T target, A a, B b, C c) throws Exception;
    }

    /** A task method with 3 parameters and no result. */
    @FunctionalInterface
    public interface Proc3<T, A, B, C> extends Serializable {
        /** Never called by taskq on the client. */
        void apply(T target, A a, B b, C c) throws Exception;
    }

    /** A task method with 4 parameters and a result. */
    @FunctionalInterface
    public interface Fn4<T, A, B, C, D, R> extends Serializable {
        /** Never called by taskq on the client. */
        R apply(T target, A a, B b, C c, D d) throws Exception;
    }

    /** A task method with 4 parameters and no result. */
    @FunctionalInterface
    public interface Proc4<T, A, B, C, D> extends Serializable {
        /** Never called by taskq on the client. */
        void apply(T target, A a, B b, C c, D d) throws Exception;
    }

    /** A task method with 5 parameters and a result. */
    @FunctionalInterface
    public interface Fn5<T, A, B, C, D, E, R> extends Serializable {
        /** Never called by taskq on the client. */
        R apply(T target, A a, B b, C c, D d, E e) throws Exception;
    }

    /** A task method with 5 parameters and no result. */
    @FunctionalInterface
    public interface Proc5<T, A, B, C, D, E> extends Serializable {
        /** Never called by taskq on the client. */
        void apply(T target, A a, B b, C c, D d, E e) throws Exception;
    }

    /** A task method with 6 parameters and a result. */
    @FunctionalInterface
    public interface Fn6<T, A, B, C, D, E, F, R> extends Serializable {
        /** Never called by taskq on the client. */
        R apply(T target, A a, B b, C c, D d, E e, F f) throws Exception;
    }

    /** A task method with 6 parameters and no result. */
    @FunctionalInterface
    public interface Proc6<T, A, B, C, D, E, F> extends Serializable {
        /** Never called by taskq on the client. */
        void apply(T target, A a, B b, C c, D d, E e, F f) throws Exception;
    }
}
