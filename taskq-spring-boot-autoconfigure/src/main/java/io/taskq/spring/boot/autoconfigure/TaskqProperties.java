package io.taskq.spring.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * taskq's settings under {@code taskq.*}. The javadoc of each field is the description IDEs show (the
 * configuration processor copies it into {@code META-INF/spring-configuration-metadata.json}).
 */
@ConfigurationProperties("taskq")
public class TaskqProperties {

    /**
     * What this instance runs besides submitting: "worker" (claims and runs tasks), "scheduler" (publishes periodic
     * tasks; one leader among the instances). Empty for a producer-only instance.
     */
    private Set<TaskqRole> roles = EnumSet.allOf(TaskqRole.class);

    private final Redis redis = new Redis();

    private final Worker worker = new Worker();

    private final Scheduler scheduler = new Scheduler();

    private final Submit submit = new Submit();

    private final Json json = new Json();

    private final Metrics metrics = new Metrics();

    private final Events events = new Events();

    private final Limits limits = new Limits();

    /** What this instance runs besides submitting. */
    public Set<TaskqRole> getRoles() {
        return roles;
    }

    /** Sets what this instance runs besides submitting. */
    public void setRoles(Set<TaskqRole> roles) {
        this.roles = roles.isEmpty() ? EnumSet.noneOf(TaskqRole.class) : EnumSet.copyOf(roles);
    }

    /** The Redis settings. */
    public Redis getRedis() {
        return redis;
    }

    /** The settings of the worker this instance starts. */
    public Worker getWorker() {
        return worker;
    }

    /** The scheduler's settings. */
    public Scheduler getScheduler() {
        return scheduler;
    }

    /** How submissions behave inside transactions. */
    public Submit getSubmit() {
        return submit;
    }

    /** Micrometer meters. */
    public Metrics getMetrics() {
        return metrics;
    }

    /** How task arguments and results are written as JSON. */
    public Json getJson() {
        return json;
    }

    /** The event stream. */
    public Events getEvents() {
        return events;
    }

    /** Rate limits configured for queues. */
    public Limits getLimits() {
        return limits;
    }

    /** The Redis connection; without a URL (or cluster nodes) taskq runs on its in-memory broker. */
    public static class Redis {
        /**
         * The Redis server, e.g. "redis://host:6379/0", "rediss://host:6380" for TLS, or a Sentinel-managed master
         * "redis-sentinel://s1:26379,s2:26379/0#mymaster". Unset (and no cluster nodes): the in-memory broker, for
         * development and tests only (nothing is shared between instances or kept across restarts).
         */
        private String url;

        /**
         * Seed nodes of a Redis Cluster ("redis://host:port" or "rediss://", any reachable node will do), instead of
         * a URL.
         */
        private List<String> cluster = new ArrayList<>();

        /**
         * The environment's namespace on Redis (letters, digits, '.', '_', '-'): instances with different prefixes
         * never see each other's tasks, results, schedules or leases.
         */
        private String keyPrefix = "taskq";

        /** The Redis ACL user; overrides a user in the URL. */
        private String username;

        /**
         * The password (of the ACL user, or of the default user); overrides a password in the URL. Keep it out of
         * the application's jar: an environment variable (TASKQ_REDIS_PASSWORD) or a secrets file.
         */
        private String password;

        /** Connect with TLS even when the URL says "redis://" (a "rediss://" URL always does). */
        private boolean ssl;

        /** A trust store (JKS or PKCS12) with the CA that signed the Redis server's certificate, for TLS. */
        private Path trustStore;

        /** The trust store's password. */
        private String trustStorePassword;

        /** Timeout of ordinary Redis commands; blocking waits get their block time plus 2 s. */
        private Duration commandTimeout = Duration.ofSeconds(5);

        /** TCP connect timeout. */
        private Duration connectTimeout = Duration.ofSeconds(2);

        /** How long task records (states and results) are kept after their last change. */
        private Duration resultTtl = Duration.ofHours(24);

        /**
         * About how many events the key prefix's event stream keeps ({prefix}:events; the oldest go first). 0 keeps
         * no stream: nothing is published and Taskq.events() is not available.
         */
        private int eventStreamMaxLength = 10_000;

        /** The Redis server URL. */
        public String getUrl() {
            return url;
        }

        /** Sets the Redis server URL. */
        public void setUrl(String url) {
            this.url = url;
        }

        /** The Cluster seed nodes. */
        public List<String> getCluster() {
            return cluster;
        }

        /** Sets the Cluster seed nodes. */
        public void setCluster(List<String> cluster) {
            this.cluster = new ArrayList<>(cluster);
        }

        /** The key prefix. */
        public String getKeyPrefix() {
            return keyPrefix;
        }

        /** Sets the key prefix. */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /** The ACL user. */
        public String getUsername() {
            return username;
        }

        /** Sets the ACL user. */
        public void setUsername(String username) {
            this.username = username;
        }

        /** The password. */
        public String getPassword() {
            return password;
        }

        /** Sets the password. */
        public void setPassword(String password) {
            this.password = password;
        }

        /** Whether to use TLS. */
        public boolean isSsl() {
            return ssl;
        }

        /** Sets whether to use TLS. */
        public void setSsl(boolean ssl) {
            this.ssl = ssl;
        }

        /** The trust store. */
        public Path getTrustStore() {
            return trustStore;
        }

        /** Sets the trust store. */
        public void setTrustStore(Path trustStore) {
            this.trustStore = trustStore;
        }

        /** The trust store's password. */
        public String getTrustStorePassword() {
            return trustStorePassword;
        }

        /** Sets the trust store's password. */
        public void setTrustStorePassword(String trustStorePassword) {
            this.trustStorePassword = trustStorePassword;
        }

        /** The command timeout. */
        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        /** Sets the command timeout. */
        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }

        /** The connect timeout. */
        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        /** Sets the connect timeout. */
        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        /** About how many events the stream keeps. */
        public int getEventStreamMaxLength() {
            return eventStreamMaxLength;
        }

        /** Sets about how many events the stream keeps (0: no stream). */
        public void setEventStreamMaxLength(int eventStreamMaxLength) {
            this.eventStreamMaxLength = eventStreamMaxLength;
        }

        /** How long task records are kept. */
        public Duration getResultTtl() {
            return resultTtl;
        }

        /** Sets how long task records are kept. */
        public void setResultTtl(Duration resultTtl) {
            this.resultTtl = resultTtl;
        }

        /** Whether a Redis server or cluster is configured. */
        public boolean isConfigured() {
            return (url != null && !url.isBlank()) || !cluster.isEmpty();
        }
    }

    /** The worker started when the roles include "worker". */
    public static class Worker {
        /** The queues the worker consumes, in priority order (strict: an earlier queue's tasks go first). */
        private List<String> queues = new ArrayList<>(List.of("default"));

        /** How many tasks run at once (threads). */
        private int concurrency = 8;

        /**
         * Tasks claimed ahead of free slots and held in the worker: unset for adaptive prefetch (held only while
         * tasks are very short), 0 to never hold (long or uneven tasks), n to always hold up to n.
         */
        private Integer prefetch;

        /**
         * How long a claimed task is leased to this worker; the worker renews it while the task runs. A worker that
         * dies loses its tasks to other workers after this.
         */
        private Duration lease = Duration.ofSeconds(30);

        /**
         * On shutdown, how long running tasks may take to finish before they are interrupted and handed back to
         * the broker (another instance runs them). Keep it below spring.lifecycle.timeout-per-shutdown-phase
         * (default 30 s) and below the service manager's stop timeout.
         */
        private Duration shutdownGrace = Duration.ofSeconds(25);

        /**
         * The worker's name in the worker registry and its events (Celery's -n), e.g. "emails@web-3"; unset for
         * "pid@host" of the process.
         */
        private String nodeName;

        /**
         * How often the worker heartbeats into the worker registry and the event stream (worker-heartbeat); it drops
         * out of the registry after three missed heartbeats. At least 100 ms.
         */
        private Duration heartbeatInterval = Duration.ofSeconds(5);

        /** The queues. */
        public List<String> getQueues() {
            return queues;
        }

        /** Sets the queues. */
        public void setQueues(List<String> queues) {
            this.queues = new ArrayList<>(queues);
        }

        /** The concurrency. */
        public int getConcurrency() {
            return concurrency;
        }

        /** Sets the concurrency. */
        public void setConcurrency(int concurrency) {
            this.concurrency = concurrency;
        }

        /** The fixed prefetch, or null for adaptive. */
        public Integer getPrefetch() {
            return prefetch;
        }

        /** Sets the fixed prefetch (null for adaptive). */
        public void setPrefetch(Integer prefetch) {
            this.prefetch = prefetch;
        }

        /** The lease. */
        public Duration getLease() {
            return lease;
        }

        /** Sets the lease. */
        public void setLease(Duration lease) {
            this.lease = lease;
        }

        /** The shutdown grace. */
        public Duration getShutdownGrace() {
            return shutdownGrace;
        }

        /** Sets the shutdown grace. */
        public void setShutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
        }

        /** The node name, or null for "pid@host". */
        public String getNodeName() {
            return nodeName;
        }

        /** Sets the node name (null for "pid@host"). */
        public void setNodeName(String nodeName) {
            this.nodeName = nodeName;
        }

        /** The heartbeat interval. */
        public Duration getHeartbeatInterval() {
            return heartbeatInterval;
        }

        /** Sets the heartbeat interval. */
        public void setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
        }
    }

    /** The scheduler started when the roles include "scheduler". */
    public static class Scheduler {
        /** The leader lease's name: instances with the same name and key prefix elect one leader. */
        private String leaseName = "taskq.scheduler";

        /** How long the leader lease lasts without renewal: a dead leader is replaced within about this. */
        private Duration leaseTtl = Duration.ofSeconds(15);

        /** How late a run may be published and still count as on time rather than missed. */
        private Duration misfireGrace = Duration.ofMinutes(1);

        /**
         * Whether entries may name tasks this application does not register: true for a producer-only scheduler
         * whose tasks other applications' workers run; false refuses such entries at start and at edit.
         */
        private boolean allowUnregisteredTasks;

        /** The lease name. */
        public String getLeaseName() {
            return leaseName;
        }

        /** Sets the lease name. */
        public void setLeaseName(String leaseName) {
            this.leaseName = leaseName;
        }

        /** The lease TTL. */
        public Duration getLeaseTtl() {
            return leaseTtl;
        }

        /** Sets the lease TTL. */
        public void setLeaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
        }

        /** The misfire grace. */
        public Duration getMisfireGrace() {
            return misfireGrace;
        }

        /** Sets the misfire grace. */
        public void setMisfireGrace(Duration misfireGrace) {
            this.misfireGrace = misfireGrace;
        }

        /** Whether entries may name tasks this application does not register. */
        public boolean isAllowUnregisteredTasks() {
            return allowUnregisteredTasks;
        }

        /** Sets whether entries may name tasks this application does not register. */
        public void setAllowUnregisteredTasks(boolean allowUnregisteredTasks) {
            this.allowUnregisteredTasks = allowUnregisteredTasks;
        }
    }

    /** Submission inside Spring transactions. */
    public static class Submit {
        /**
         * Inside a Spring transaction, hold submitted tasks until the transaction commits and drop them on
         * rollback, so a task never runs before the rows it reads are committed (Celery's transaction.on_commit).
         * false submits at once, inside or outside transactions; TransactionalSubmit.immediately(...) does so for
         * one block of code.
         */
        private boolean afterCommit = true;

        /** Whether submissions wait for the commit. */
        public boolean isAfterCommit() {
            return afterCommit;
        }

        /** Sets whether submissions wait for the commit. */
        public void setAfterCommit(boolean afterCommit) {
            this.afterCommit = afterCommit;
        }
    }

    /** How task arguments and results are written as JSON. */
    public static class Json {
        /**
         * Write and read task arguments and results with the application's ObjectMapper bean (its modules and
         * spring.jackson.* settings) instead of taskq's own mapper. Off by default: the application's mapper serves
         * its web API, and a change to it would change the stored form of tasks that other versions and
         * applications read. Producers and workers of a queue must agree on it.
         */
        private boolean useApplicationObjectMapper;

        /** Whether the application's ObjectMapper bean encodes task arguments and results. */
        public boolean isUseApplicationObjectMapper() {
            return useApplicationObjectMapper;
        }

        /** Sets whether the application's ObjectMapper bean encodes task arguments and results. */
        public void setUseApplicationObjectMapper(boolean useApplicationObjectMapper) {
            this.useApplicationObjectMapper = useApplicationObjectMapper;
        }
    }

    /** Micrometer meters, when taskq-micrometer and a MeterRegistry are there. */
    public static class Metrics {
        /**
         * Bind taskq's meters (tasks, queues, workers, scheduler, broker errors) to the application's MeterRegistry
         * when taskq-micrometer is on the classpath.
         */
        private boolean enabled = true;

        /** How often the queue gauges read the queue counts from the broker (never per scrape). */
        private Duration queuePollInterval = Duration.ofSeconds(15);

        /** Whether taskq's meters are bound. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether taskq's meters are bound. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** How often the queue counts are read. */
        public Duration getQueuePollInterval() {
            return queuePollInterval;
        }

        /** Sets how often the queue counts are read. */
        public void setQueuePollInterval(Duration queuePollInterval) {
            this.queuePollInterval = queuePollInterval;
        }
    }

    /** The event stream (Taskq.events()) this application publishes to. */
    public static class Events {
        /**
         * Publish this application's task, worker and scheduler events to the broker's event stream; false stops
         * publishing (the stream can still be read).
         */
        private boolean enabled = true;

        /**
         * How many events may wait to be published before new ones are dropped (counted, never slowing a task):
         * room for a burst while the broker is slow.
         */
        private int buffer = 10_000;

        /** Whether this application publishes events. */
        public boolean isEnabled() {
            return enabled;
        }

        /** Sets whether this application publishes events. */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** The publish buffer's size. */
        public int getBuffer() {
            return buffer;
        }

        /** Sets the publish buffer's size. */
        public void setBuffer(int buffer) {
            this.buffer = buffer;
        }
    }

    /** Rate limits this application configures (docs/limits.md); the tasks' own are declared with {@code @Task}. */
    public static class Limits {
        /**
         * A rate over every task this application sends to a queue, whatever its task, across all workers
         * (Taskq.Builder.queueRateLimit): queue name to rate, as @Task(rateLimit) writes it (100/s, 600/m, 5/10s).
         * Worked out when a task is submitted, so every application that submits to the queue needs it; changed at
         * run time with Taskq.limits(), taskq limits rate --queue or the dashboard.
         */
        private Map<String, String> queueRates = new LinkedHashMap<>();

        /** The queues' rates, by queue name. */
        public Map<String, String> getQueueRates() {
            return queueRates;
        }

        /** Sets the queues' rates, by queue name. */
        public void setQueueRates(Map<String, String> queueRates) {
            this.queueRates = new LinkedHashMap<>(queueRates);
        }
    }
}
