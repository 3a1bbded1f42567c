package io.taskq.micrometer;

import io.taskq.Task;

/** The task of the wiring example in docs/metrics.md. */
public class Emails {
    @Task(name = "emails.send")
    public String send(String to) {
        return "sent to " + to;
    }
}
