package io.taskq;

/**
 * The limits one {@link TaskRequest} sets for itself, each null (or 0) to take the task's declared one.
 *
 * @param rate       a rate instead of {@code @Task(rateLimit)}
 * @param maxRunning a concurrency limit instead of {@code @Task(concurrencyLimit)}, or 0
 * @param key        the key of the call's per-key limits instead of the one {@code @Task(limitKey)} reads
 */
record CallLimits(RateLimit rate, int maxRunning, String key) {
    static final CallLimits NONE = new CallLimits(null, 0, null);

    CallLimits withRate(RateLimit r) {
        return new CallLimits(r, maxRunning, key);
    }

    CallLimits withMaxRunning(int n) {
        return new CallLimits(rate, n, key);
    }

    CallLimits withKey(String k) {
        return new CallLimits(rate, maxRunning, k);
    }
}
