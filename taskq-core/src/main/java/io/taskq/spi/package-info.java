/**
 * The service provider interfaces between taskq's core and its storage: {@link io.taskq.spi.Broker} moves
 * messages and keeps task state, {@link io.taskq.spi.ResultBackend} reads that state, and
 * {@link io.taskq.spi.Leases} elects leaders (for the scheduler). The in-memory and Redis implementations pass
 * the same contract test suite.
 */
package io.taskq.spi;
