package io.taskq;

/**
 * The limits one {@link TaskRequest} sets for itself, each null (or 0) to take the task's declared one.
 *
 * @param rate       a rate instead of {@code @Task(rateLimit)}
 * @param maxRunning a concurrency limit instead of {@code @Task(concurrencyLimit)}, or 0
 * @param key        the key of the call's per-key limits instead of the one {@code @Task(limitKey)} reads
 * @param unique     how long the task holds its uniqueness key, instead of {@code @Task(uniqueUntil)}
 * @param uniqueKey  the uniqueness key instead of the task name and arguments
 */
record CallLimits(RateLimit rate, int maxRunning, String key, Uniqueness unique, String uniqueKey) {
    static final CallLimits NONE = new CallLimits(null, 0, null, null, null);

    CallLimits withRate(RateLimit r) {
        return new CallLimits(r, maxRunning, key, unique, uniqueKey);
    }

    CallLimits withMaxRunning(int n) {
        return new CallLimits(rate, n, key, unique, uniqueKey);
    }

    CallLimits withKey(String k) {
        return new CallLimits(rate, maxRunning, k, unique, uniqueKey);
    }

    CallLimits withUnique(Uniqueness u, String k) {
        return new CallLimits(rate, maxRunning, key, u, k);
    }
}
