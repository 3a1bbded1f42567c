package io.taskq;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs a submit through the application's {@link SubmitInterceptor}s, the first registered outermost, and checks
 * that each passes on as many requests as it got, for the same tasks in the same order: the caller matches the
 * handles to its requests by position.
 */
final class SubmitChain {
    private final List<SubmitInterceptor> interceptors;
    private final Function<List<? extends TaskRequest<?>>, List<TaskHandle<?>>> send;

    SubmitChain(List<SubmitInterceptor> interceptors,
                Function<List<? extends TaskRequest<?>>, List<TaskHandle<?>>> send) {
        this.interceptors = List.copyOf(interceptors);
        this.send = send;
    }

    List<TaskHandle<?>> submit(List<? extends TaskRequest<?>> requests) {
        if (interceptors.isEmpty()) {
            return send.apply(requests);
        }
        List<TaskHandle<?>> handles = proceed(0, requests);
        if (handles == null || handles.size() != requests.size()) {
            throw new IllegalStateException("submit interceptor " + interceptors.get(0).getClass().getName()
                    + " returned " + (handles == null ? "null" : handles.size() + " handle(s)") + " for "
                    + requests.size() + " request(s): return what next.proceed returned");
        }
        return handles;
    }

    private List<TaskHandle<?>> proceed(int index, List<? extends TaskRequest<?>> requests) {
        if (index == interceptors.size()) {
            return send.apply(requests);
        }
        SubmitInterceptor interceptor = interceptors.get(index);
        return interceptor.intercept(requests, passed -> {
            checkSame(interceptor, requests, passed);
            return proceed(index + 1, passed);
        });
    }

    private static void checkSame(SubmitInterceptor interceptor, List<? extends TaskRequest<?>> given,
                                  List<? extends TaskRequest<?>> passed) {
        String problem = null;
        if (passed == null) {
            problem = "null instead of the requests";
        } else if (passed.size() != given.size()) {
            problem = passed.size() + " request(s) on for " + given.size() + " given";
        } else {
            for (int i = 0; i < given.size() && problem == null; i++) {
                TaskRequest<?> p = passed.get(i);
                if (p == null || !Objects.equals(p.taskName(), given.get(i).taskName())) {
                    problem = "request " + (i + 1) + " is for " + (p == null ? "null" : "task '" + p.taskName() + "'")
                            + " instead of task '" + given.get(i).taskName() + "'";
                }
            }
        }
        if (problem != null) {
            throw new IllegalStateException("submit interceptor " + interceptor.getClass().getName() + " passed "
                    + problem + ": pass on as many requests as given, in the same order (nothing was sent)");
        }
    }
}
