/**
 * The service provider interfaces between taskq's core and its storage, by capability: {@link io.taskq.spi.Broker}
 * moves messages and keeps task state (the hot path: enqueue, claim, renew, finish-and-claim, release, revoke,
 * locate), {@link io.taskq.spi.QueueAdmin} administers the queues (listing, counts, paged task listings, dead
 * letters; a broker offers it through {@link io.taskq.spi.Broker#queueAdmin()}), {@link io.taskq.spi.ResultBackend}
 * reads task state, {@link io.taskq.spi.Leases} elects leaders (for the scheduler), and the event log
 * ({@link io.taskq.spi.EventLog}), the worker registry ({@link io.taskq.spi.WorkerRegistry}) and remote control
 * ({@link io.taskq.spi.ControlBus}) serve operations. The in-memory and Redis
 * implementations pass the same contract test suite.
 */
package io.taskq.spi;
