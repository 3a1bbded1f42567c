package io.taskq.internal;

import io.taskq.spi.ResultBackend;
import io.taskq.spi.TaskRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The in-memory broker's result backend: reads records, and keeps the futures of result waits, which
 * {@link MemoryState#store} completes when a final record is stored.
 */
final class InMemoryResults implements ResultBackend {
    private final MemoryState s;

    InMemoryResults(MemoryState state) {
        this.s = state;
    }

    @Override
    public Optional<TaskRecord> get(String queueName, String id) {
        s.lock.lock();
        try {
            return Optional.ofNullable(s.liveRecord(s.queue(queueName), id, s.clock.instant()));
        } finally {
            s.lock.unlock();
        }
    }

    @Override
    public CompletableFuture<TaskRecord> awaitFinal(String queueName, String id) {
        s.lock.lock();
        try {
            TaskRecord r = s.liveRecord(s.queue(queueName), id, s.clock.instant());
            if (r != null && r.state().isFinal()) {
                return CompletableFuture.completedFuture(r);
            }
            CompletableFuture<TaskRecord> f = new CompletableFuture<>();
            String k = MemoryState.key(queueName, id);
            s.waiters.computeIfAbsent(k, x -> new ArrayList<>()).add(f);
            f.whenComplete((v, e) -> {
                if (f.isCancelled()) {
                    forget(k, f);
                }
            });
            return f;
        } finally {
            s.lock.unlock();
        }
    }

    private void forget(String k, CompletableFuture<TaskRecord> f) {
        s.lock.lock();
        try {
            List<CompletableFuture<TaskRecord>> ws = s.waiters.get(k);
            if (ws != null) {
                ws.remove(f);
                if (ws.isEmpty()) {
                    s.waiters.remove(k);
                }
            }
        } finally {
            s.lock.unlock();
        }
    }

    /** Cancels every wait (the broker closes). */
    void cancelAll() {
        s.waiters.values().forEach(ws -> ws.forEach(f -> f.cancel(false)));
        s.waiters.clear();
    }
}
