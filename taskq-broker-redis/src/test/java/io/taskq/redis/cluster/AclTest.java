package io.taskq.redis.cluster;

import io.taskq.redis.BrokerInternals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.Range;
import io.lettuce.core.XReadArgs;
import io.taskq.Control;
import io.taskq.Event;
import io.taskq.Events;
import io.taskq.TaskHandle;
import io.taskq.TaskRequest;
import io.taskq.TaskState;
import io.taskq.Taskq;
import io.taskq.Worker;
import io.taskq.WorkerOptions;
import io.taskq.contract.Await;
import io.taskq.redis.RedisBroker;
import io.taskq.redis.fault.FaultTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped ACL file docs/deploy/redis-acl.conf, loaded as the server's --aclfile (a copy with the password
 * placeholders replaced): the {@code uat} user runs a full worker on prefix {@code uat} (submit, delays,
 * results over pub/sub, revoke, dead letters, stats, leases, the worker registry) and can neither read nor write
 * {@code live} keys, nor listen to {@code live}'s channel.
 */
class AclTest {
    private static LocalRedis redis;
    private static Path aclCopy;

    static Path shippedAclFile() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path f = dir.resolve("docs/deploy/redis-acl.conf");
            if (Files.exists(f)) {
                return f;
            }
            dir = dir.getParent();
        }
        throw new AssertionError("docs/deploy/redis-acl.conf not found above " + Path.of("").toAbsolutePath());
    }

    @BeforeAll
    static void start() throws IOException {
        String acl = Files.readString(shippedAclFile());
        assertTrue(acl.contains(">CHANGE-ME-uat") && acl.contains(">CHANGE-ME-live"), "placeholders present");
        aclCopy = Files.createTempDirectory("taskq-acl").resolve("users.acl");
        Files.writeString(aclCopy,
                acl.replace("CHANGE-ME-uat", "uat-secret").replace("CHANGE-ME-live", "live-secret"));
        redis = LocalRedis.server("acl", "--aclfile", aclCopy.toString());
    }

    @AfterAll
    static void stop() {
        redis.close();
    }

    private static String url(String user, String pass) {
        return "redis://" + user + ":" + pass + "@127.0.0.1:" + redis.port() + "/0";
    }

    @Test
    void theUatUserRunsAFullWorkerOnItsPrefix() {
        try (RedisBroker broker = RedisBroker.builder().uri(url("uat", "uat-secret")).keyPrefix("uat")
                .partitions("hot", 2).build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            // The shipped ACL leaves FUNCTION out on purpose (a user who may load functions can replace a library
            // that another environment's users call): the scripts run with EVALSHA.
            assertFalse(BrokerInternals.usesFunctions(broker));
            Worker w = taskq.startWorker(WorkerOptions.builder().queues("default", "hot").concurrency(4)
                    .lease(Duration.ofSeconds(3)).build());
            assertEquals("hi", taskq.submit(TaskRequest.of(FaultTasks::echo, "hi").queue("default"))
                    .get(Duration.ofSeconds(10)));
            assertEquals("hot", taskq.submit(TaskRequest.of(FaultTasks::echo, "hot").queue("hot"))
                    .get(Duration.ofSeconds(10)));
            assertEquals("later", taskq.submit(TaskRequest.of(FaultTasks::echo, "later").queue("default")
                    .countdown(Duration.ofMillis(300))).get(Duration.ofSeconds(10)));
            TaskHandle<String> revoked = taskq.submit(TaskRequest.of(FaultTasks::echo, "never").queue("default")
                    .countdown(Duration.ofMinutes(5)));
            assertTrue(revoked.revoke());
            assertEquals(TaskState.REVOKED, revoked.state());
            // Lookup by id: the queue registry and the lookup script under the ACL.
            assertEquals(TaskState.REVOKED, taskq.handle(revoked.id()).state());
            assertTrue(broker.queues().containsAll(List.of("default", "hot")));
            assertEquals(0, taskq.deadLetters("default", 10).size());
            assertEquals(0, taskq.stats("default").ready());
            assertTrue(w.isHealthy());
            // The worker registry: heartbeats, listing and removal use only commands the queues need already.
            Await.until(Duration.ofSeconds(10), "the worker listed",
                    () -> taskq.workers().stream().anyMatch(i -> i.id().equals(w.id())));

            // Leases (scheduler leader election)
            assertTrue(broker.tryAcquire("scheduler", "a", Duration.ofSeconds(5)));
            assertFalse(broker.tryAcquire("scheduler", "b", Duration.ofSeconds(5)));
            assertEquals("a", broker.holder("scheduler").orElseThrow());
            broker.release("scheduler", "a");
        }
    }

    /**
     * An ACL written from an earlier version of the shipped file (no TIME): the claims a worker sends ahead of its
     * marker waits are refused, and the worker goes on claiming the ordinary way.
     */
    @Test
    void aWorkerUnderAnOlderAclWithoutTimeStillConsumes() throws IOException {
        String uatLine = Files.readAllLines(shippedAclFile()).stream().filter(l -> l.startsWith("user uat "))
                .findFirst().orElseThrow();
        String[] rules = uatLine.replace(" +time", "").replace(">CHANGE-ME-uat", ">old-secret")
                .substring("user uat ".length()).split(" ");
        RedisClient admin = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + redis.port() + "/0"));
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            c.sync().dispatch(io.lettuce.core.protocol.CommandType.ACL,
                    new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                    new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                            .add("SETUSER").add("uatold").addValues(rules));
        } finally {
            admin.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        try (RedisBroker broker = RedisBroker.builder().uri(url("uatold", "old-secret")).keyPrefix("uat").build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
            Worker w = taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
            for (int i = 0; i < 5; i++) {
                // Each submit finds the worker waiting on its marker, with (at first) a claim queued behind.
                assertEquals("n" + i, taskq.submit(TaskRequest.of(FaultTasks::echo, "n" + i).queue("default"))
                        .get(Duration.ofSeconds(10)));
            }
            assertTrue(w.isHealthy());
        }
    }

    @Test
    void theSameRulesSufficeOnACluster() {
        try (LocalCluster cluster = LocalCluster.start(3, 0, "--aclfile", aclCopy.toString())) {
            String[] seeds = java.util.Arrays.stream(cluster.seeds())
                    .map(s -> s.replace("redis://", "redis://uat:uat-secret@")).toArray(String[]::new);
            try (RedisBroker broker = RedisBroker.builder().cluster(seeds).keyPrefix("uat").partitions("hot", 3)
                    .build();
                 Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build()) {
                Worker w = taskq.startWorker(WorkerOptions.builder().queues("default", "hot").concurrency(2)
                        .build());
                for (String q : List.of("default", "hot", "hot", "hot")) {
                    assertEquals(q, taskq.submit(TaskRequest.of(FaultTasks::echo, q).queue(q))
                            .get(Duration.ofSeconds(10)));
                }
                Await.until(Duration.ofSeconds(10), "the worker listed",
                        () -> taskq.workers().stream().anyMatch(i -> i.id().equals(w.id())));
                w.close();
                assertTrue(taskq.workers().isEmpty(), "removed at close");
                assertTrue(broker.tryAcquire("scheduler", "a", Duration.ofSeconds(5)));
                Await.until(Duration.ofSeconds(10), "the events in the prefix's slot",
                        () -> taskq.events().since(null, 100).events().size() >= 16);
                assertEquals(0, taskq.events().dropped());
            }
        }
    }

    /** The event stream: uat publishes, reads and follows its own, and may not read or write live's. */
    @Test
    void theUatUserHasItsEventStreamAndCannotReadLives() {
        try (RedisBroker live = RedisBroker.builder().uri(url("live", "live-secret")).keyPrefix("live").build();
             Taskq liveTaskq = Taskq.builder().broker(live).tasks(new FaultTasks()).build()) {
            String liveId = liveTaskq.submit(FaultTasks::echo, "live").id();
            Await.until(Duration.ofSeconds(10), "live's own event", () -> liveTaskq.events().since(null, 10).events()
                    .stream().anyMatch(e -> liveId.equals(e.field(Event.F_ID))));
        }
        List<Event> followed = new CopyOnWriteArrayList<>();
        try (RedisBroker broker = RedisBroker.builder().uri(url("uat", "uat-secret")).keyPrefix("uat").build();
             Taskq taskq = Taskq.builder().broker(broker).tasks(new FaultTasks()).build();
             Events.Subscription s = taskq.events().subscribe(null, followed::add)) {
            taskq.startWorker(WorkerOptions.builder().concurrency(2).build());
            TaskHandle<String> h = taskq.submit(TaskRequest.of(FaultTasks::echo, "ev").queue("default"));
            assertEquals("ev", h.get(Duration.ofSeconds(10)));
            Await.until(Duration.ofSeconds(10), "uat's events, read and followed", () ->
                    taskq.events().since(null, 100).events().stream().anyMatch(e -> h.id().equals(e.field(Event.F_ID))
                            && e.type().equals(Event.TASK_SUCCEEDED))
                    && followed.stream().anyMatch(e -> h.id().equals(e.field(Event.F_ID))
                            && e.type().equals(Event.TASK_SUCCEEDED)));
            assertEquals(0, taskq.events().dropped());
        }
        RedisClient client = RedisClient.create(RedisURI.create(url("uat", "uat-secret")));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            for (Runnable r : List.<Runnable>of(
                    () -> c.sync().xrange("{live}:events", Range.create("-", "+")),
                    () -> c.sync().xrevrange("{live}:events", Range.create("-", "+")),
                    () -> c.sync().xread(XReadArgs.StreamOffset.from("{live}:events", "0-0")),
                    () -> c.sync().xadd("{live}:events", Map.of("type", "forged")))) {
                RuntimeException e = assertThrows(RuntimeException.class, r::run);
                assertTrue(e.getMessage().contains("NOPERM"), e.getMessage());
            }
            assertFalse(c.sync().xrange("{uat}:events", Range.create("-", "+")).isEmpty(), "its own stream reads");
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /**
     * Remote control: each user controls its own workers (commands on {@code {env}:control}, replies on
     * {@code {env}:control:reply:<id>}), and {@code uat} can neither send commands to {@code live}'s workers nor read
     * or forge {@code live}'s replies.
     */
    @Test
    void theUatUserCannotControlLivesWorkersNorReadItsReplies() throws InterruptedException {
        Duration replies = Duration.ofSeconds(10);
        try (RedisBroker live = RedisBroker.builder().uri(url("live", "live-secret")).keyPrefix("live").build();
             Taskq liveTaskq = Taskq.builder().broker(live).tasks(new FaultTasks()).build();
             RedisBroker uat = RedisBroker.builder().uri(url("uat", "uat-secret")).keyPrefix("uat").build();
             Taskq uatTaskq = Taskq.builder().broker(uat).tasks(new FaultTasks()).build()) {
            Worker liveWorker = liveTaskq.startWorker(WorkerOptions.builder().workerId("live-w").nodeName("live-node")
                    .concurrency(2).build());
            uatTaskq.startWorker(WorkerOptions.builder().workerId("uat-w").concurrency(2).build());
            Control liveControl = liveTaskq.control().destination("live-w").timeout(replies);
            assertEquals("pong", liveControl.ping().get("live-w").value(), "live controls its own");
            assertEquals(Boolean.TRUE, liveControl.pause("default").get("live-w").value());
            assertEquals(Boolean.TRUE, liveControl.resume("default").get("live-w").value());
            assertEquals("pong", uatTaskq.control().destination("uat-w").timeout(replies).ping().get("uat-w")
                    .value(), "uat controls its own");

            // uat's commands go to uat's stream: live's worker never hears them.
            assertTrue(uatTaskq.control().destination("live-w", "live-node").timeout(Duration.ofMillis(500))
                    .pause("default").isEmpty());
            assertEquals(java.util.Set.of(), liveWorker.pausedQueues());

            // A reply waiting for live's requester: uat can neither read, take nor forge it.
            live.controlBus().orElseThrow().reply("probe", "[]", Duration.ofSeconds(30));
            RedisClient client = RedisClient.create(RedisURI.create(url("uat", "uat-secret")));
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                for (Runnable r : List.<Runnable>of(
                        () -> c.sync().xadd("{live}:control", Map.of("command", "{}")),
                        () -> c.sync().xread(XReadArgs.StreamOffset.from("{live}:control", "0-0")),
                        () -> c.sync().xrevrange("{live}:control", Range.create("-", "+")),
                        () -> c.sync().lpop("{live}:control:reply:probe"),
                        () -> c.sync().blpop(1, "{live}:control:reply:probe"),
                        () -> c.sync().lrange("{live}:control:reply:probe", 0, -1),
                        () -> c.sync().rpush("{live}:control:reply:probe", "[{\"worker\":\"forged\"}]"))) {
                    RuntimeException e = assertThrows(RuntimeException.class, r::run);
                    assertTrue(e.getMessage().contains("NOPERM"), e.getMessage());
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
            assertEquals("[]", live.controlBus().orElseThrow().awaitReply("probe", replies), "still there for live");
        }
    }

    @Test
    void theUatUserCannotTouchLiveKeysOrChannels() {
        // Through the broker: refused at start, naming the user, the prefix and the rule to add.
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> RedisBroker.builder().uri(url("uat", "uat-secret")).keyPrefix("live").build());
        assertTrue(refused.getMessage().startsWith("Redis user 'uat' may not read keys under the key prefix 'live'")
                && refused.getMessage().contains("ACL SETUSER uat ~{live:* ~{live}:* &{live}:*"), refused.getMessage());
        // Directly: reads, writes and subscriptions outside the uat prefix.
        RedisClient client = RedisClient.create(RedisURI.create(url("uat", "uat-secret")));
        try (StatefulRedisConnection<String, String> c = client.connect();
             StatefulRedisPubSubConnection<String, String> ps = client.connectPubSub()) {
            for (Runnable r : List.<Runnable>of(
                    () -> c.sync().hget("{live:default}:job", "x"),
                    () -> c.sync().set("{live}:lease:scheduler", "x"),
                    () -> c.sync().zadd("{live:default}:ready", 1, "x"),
                    () -> c.sync().get("{uat-other}:x"),
                    () -> c.sync().keys("*"),
                    () -> c.sync().flushall(),
                    () -> c.sync().configGet("maxmemory-policy"),
                    () -> ps.sync().subscribe("{live}:final"))) {
                RuntimeException e = assertThrows(RuntimeException.class, r::run);
                assertTrue(e.getMessage().contains("NOPERM"), e.getMessage());
            }
            // ... while its own keys work, and the watchdogs' PING is allowed, subscribed or not.
            assertEquals("OK", c.sync().set("{uat}:probe", "1"));
            assertEquals("PONG", c.sync().ping());
            ps.sync().subscribe("{uat}:final");
            assertEquals("PONG", ps.sync().ping().toUpperCase(java.util.Locale.ROOT));
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        Await.until(Duration.ofSeconds(1), "server alive", () -> redis.alive());
    }
}
