/**
 * The service provider interfaces between taskq's core and its storage, by capability: {@link io.taskq.spi.Broker}
 * moves messages and keeps task state (the hot path: enqueue, claim, renew, finish-and-claim, release, revoke,
 * locate), {@link io.taskq.spi.QueueAdmin} administers the queues (listing, counts, paged task listings, dead
 * letters; a broker offers it through {@link io.taskq.spi.Broker#queueAdmin()}), {@link io.taskq.spi.ResultBackend}
 * reads task state, and {@link io.taskq.spi.Leases} elects leaders (for the scheduler). The in-memory and Redis
 * implementations pass the same contract test suite.
 */
package io.taskq.spi;
