package io.taskq.dashboard;

import io.taskq.Task;

/** The tasks the dashboard's tests run. */
public final class TestTasks {

    @Task(name = "dash.add")
    public int add(int a, int b) {
        return a + b;
    }

    /** Always fails: with no retries, a dead letter. */
    @Task(name = "dash.boom")
    public void boom(String secret) {
        throw new IllegalStateException("boom for " + secret.length() + " chars");
    }

    /** Succeeds; a periodic task's run. */
    @Task(name = "dash.tick")
    public String tick() {
        return "tick";
    }
}
