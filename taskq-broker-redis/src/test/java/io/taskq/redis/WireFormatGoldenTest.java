package io.taskq.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskq.Taskq;
import io.taskq.contract.Golden;
import io.taskq.internal.Json;
import io.taskq.scheduler.PeriodicTask;
import io.taskq.scheduler.Schedule;
import io.taskq.scheduler.Scheduler;
import io.taskq.spi.ClaimRequest;
import io.taskq.spi.Delivery;
import io.taskq.spi.Outcome;
import io.taskq.spi.TaskMessage;
import io.taskq.spi.TaskRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the Redis scripts store is the golden files of docs/protocol.md: the message as enqueued, the records the
 * claim and start scripts write (as JSON: cjson's field order and escaping are its own) and those the worker hands
 * to finish (stored as they are, so byte for byte), the dead-letter entry the scripts write, and the schedule
 * entry. The broker runs on a fixed clock at the examples' time and claims as the examples' worker, so nothing but
 * the fields the Java side chose differs.
 */
class WireFormatGoldenTest {
    @RegisterExtension
    static final PerClassRedis server = new PerClassRedis();

    private static final String ID = "0636dca0-ee9a-4a16-9f21-47e59b090c49";
    private static final Clock AT = Clock.fixed(Instant.parse("2026-11-21T17:43:35.012Z"), ZoneOffset.UTC);
    private static final String WORKER = "4242@app-1#1";

    private static RedisBroker broker(String prefix) {
        return RedisBroker.builder().uri(server.url()).clock(AT).keyPrefix(prefix).build();
    }

    private static String hget(String key, String field) {
        AtomicReference<String> v = new AtomicReference<>();
        server.with(c -> v.set(c.hget(key, field)));
        return v.get();
    }

    private static Delivery enqueueAndClaim(RedisBroker broker) throws InterruptedException {
        assertEquals(List.of(true), broker.enqueue(List.of(new TaskMessage(ID, "email", "email.send", 4, null,
                Golden.compact("envelope.json")))));
        List<Delivery> claimed = broker.claim(new ClaimRequest(WORKER, List.of("email"), 1, Duration.ofSeconds(30),
                Duration.ZERO));
        assertEquals(1, claimed.size());
        return claimed.get(0);
    }

    private static TaskRecord record(String golden) throws Exception {
        return Json.mapper().readValue(Golden.text(golden), TaskRecord.class);
    }

    @Test
    void aTaskThroughEnqueueClaimStartedAndFinish() throws Exception {
        try (RedisBroker broker = broker("g1")) {
            Delivery d = enqueueAndClaim(broker);
            assertEquals(Golden.compact("envelope.json"), d.body(), "the message comes back as it was sent");

            // enqueue.lua: the job field frames the message, byte for byte, behind its score and task name
            String job = hget("{g1:email}:job", ID);
            assertTrue(job.matches("(?s)\\d{1,16}\nemail\\.send\n.*"), job);
            assertEquals(Golden.compact("envelope.json"), job.substring(job.indexOf('\n', job.indexOf('\n') + 1) + 1));

            // claim.lua (make_record in lib-records.lua)
            Golden.assertJsonEquals(Golden.tree("record-received.json"), hget("{g1:email}:res", ID));

            // started.lua: the claim's record re-encoded with cjson, state STARTED
            broker.markStarted(List.of(d), AT.instant());
            JsonNode started = Golden.tree("record-received.json").deepCopy();
            ((ObjectNode) started).put("state", "STARTED");
            Golden.assertJsonEquals(started, hget("{g1:email}:res", ID));

            // finish-claim.lua stores the worker's record as it is
            assertEquals(List.of(true), broker.finishAndClaim(List.of(), AT.instant(),
                    List.of(Outcome.done(d, record("record-success.json"))), null).accepted());
            assertEquals(Golden.compact("record-success.json"), hget("{g1:email}:res", ID));
        }
    }

    @Test
    void aFollowUpsRecordCarriesItsLineage() throws Exception {
        String step = "9c2e4f6a-8b0d-3c1e-a2f4-6b8d0e2f4a6c";
        String message = Golden.compact("envelope.json").replace("\"id\":\"" + ID, "\"id\":\"" + step)
                .replace("\"parent_id\":null", "\"parent_id\":\"" + ID + "\"");
        try (RedisBroker broker = broker("g4")) {
            assertEquals(List.of(true), broker.enqueue(List.of(new TaskMessage(step, "email", "email.send", 4, null,
                    message))));
            assertEquals(1, broker.claim(new ClaimRequest(WORKER, List.of("email"), 1, Duration.ofSeconds(30),
                    Duration.ZERO)).size());
            // claim.lua: the lineage taken from the message's root_id and parent_id headers (msg_lineage)
            Golden.assertJsonEquals(Golden.tree("record-lineage.json"), hget("{g4:email}:res", step));
        }
    }

    @Test
    void aDeadLetter() throws Exception {
        try (RedisBroker broker = broker("g2")) {
            Delivery d = enqueueAndClaim(broker);
            String reason = Golden.tree("dead-letter.json").get("reason").textValue();
            assertEquals(List.of(true), broker.finishAndClaim(List.of(), AT.instant(),
                    List.of(Outcome.dead(d, record("record-failure.json"), reason)), null).accepted());
            // lib-dead.lua add_dead: cjson.encode of the entry
            Golden.assertJsonEquals(Golden.tree("dead-letter.json"), hget("{g2:email}:dinfo", ID));
            assertEquals(Golden.compact("record-failure.json"), hget("{g2:email}:res", ID));
            assertEquals(Golden.compact("envelope.json"), broker.deadLetter("email", ID).orElseThrow().body());
        }
    }

    @Test
    void aScheduleEntry() {
        Clock created = Clock.fixed(Instant.parse("2024-06-21T09:00:00Z"), ZoneOffset.UTC);
        try (RedisBroker broker = broker("g3");
             RedisScheduleStore store = RedisScheduleStore.builder().from(broker).build();
             Taskq taskq = Taskq.builder().broker(broker).clock(created).build();
             Scheduler scheduler = Scheduler.builder().taskq(taskq).store(store).leases(broker)
                     .allowUnregisteredTasks(true).build()) {
            scheduler.add(PeriodicTask.builder("nightly", "reports.run",
                    Schedule.cron("30 2 * * *", ZoneId.of("Europe/London"))).args("x").build(), "test");
            // sched-write.lua stores the scheduler's text as it is
            assertEquals(Golden.compact("schedule-entry.json"), hget("{g3}:sched:entries", "nightly"));
        }
    }
}
