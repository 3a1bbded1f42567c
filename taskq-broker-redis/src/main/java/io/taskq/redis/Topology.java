package io.taskq.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import java.time.Duration;
import java.util.List;

/**
 * How a client reaches Redis: one server or a Sentinel-managed master ({@code uri}), or a Cluster
 * ({@code clusterSeeds}), with TLS options and timeouts. Kept by {@link RedisBroker} so that
 * {@link RedisScheduleStore.Builder#from(RedisBroker)} can connect the same way.
 */
record Topology(RedisURI uri, List<RedisURI> clusterSeeds, SslOptions ssl, Duration commandTimeout,
                Duration connectTimeout, Duration topologyRefresh) {
}
