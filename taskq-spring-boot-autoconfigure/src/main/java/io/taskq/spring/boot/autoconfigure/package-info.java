/**
 * Spring Boot auto-configuration of taskq: the {@code Taskq} client with every bean's {@code @Task} methods, the
 * Redis (or in-memory) broker, workers and the scheduler from {@code taskq.*} properties started and drained with
 * the context, transaction-aware submit, and an actuator health indicator and endpoint. See docs/spring-boot.md.
 */
package io.taskq.spring.boot.autoconfigure;
