package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A chain read one step at a time: a message's chain decodes to the same steps as the whole-tree reading, passes on
 * unread what comes after the next step, survives strings that hold braces, quotes and backslashes, and a malformed
 * step is refused with the reason when it is next.
 */
class ChainStepsTest {
    private static final String NASTY = "a \"quoted\" {brace} [bracket] \\ back\\\\slash \\\" é 😀 }]";

    private static Embed.Step step(int i, String text) {
        ArrayNode args = JsonNodeFactory.instance.arrayNode().add(text).add(i);
        return new Embed.Step("t.step" + i, args, i % 2 == 0, "id-" + i, "q", i % 10, null, null, null,
                List.of(), List.of());
    }

    private static Envelope message(List<Embed.Step> chain) {
        return new Envelope("id", "t.first", "q", 4, JsonNodeFactory.instance.arrayNode().add(NASTY), null, null, 0,
                null, "id", null, false, null, java.util.Map.of(), null, null,
                new Embed(List.of(), List.of(step(99, "errback " + NASTY)), chain));
    }

    @Test
    void aMessagesChainReadsAsTheWholeTreeReadsIt() throws Exception {
        List<Embed.Step> chain = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            chain.add(step(i, i % 3 == 0 ? NASTY : "plain"));
        }
        String text = message(chain).encode();
        Envelope fast = Envelope.decode(text);
        assertInstanceOf(ChainSteps.class, fast.embed().chain());
        assertEquals(chain, fast.embed().chain());
        assertEquals(List.of(step(99, "errback " + NASTY)), fast.embed().errbacks());
        assertEquals(message(chain).embed().chain(), Embed.parse(Json.mapper().readTree(text).get("body").get(2))
                .chain());
        assertEquals(text, fast.encode(), "a decoded chain is written back as it came");
    }

    @Test
    void eachStepDecodesTheNextAndPassesTheRestOnUnread() throws Exception {
        List<Embed.Step> chain = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            chain.add(step(i, NASTY + i));
        }
        Envelope e = message(chain);
        for (int expected = 19; expected >= 0; expected--) {
            ChainSteps c = (ChainSteps) Envelope.decode(e.encode()).embed().chain();
            assertEquals(chain.get(expected), c.last());
            List<Embed.Step> rest = c.withoutLast();
            assertEquals(chain.subList(0, expected), rest);
            if (rest.isEmpty()) {
                break;
            }
            e = new Envelope("id", "t.x", "q", 4, JsonNodeFactory.instance.arrayNode(), null, null, 0, null, "id",
                    null, false, null, java.util.Map.of(), null, null, new Embed(List.of(), List.of(), rest));
        }
    }

    @Test
    void anotherLayoutIsReadAsAWhole() throws Exception {
        String sig = "{\"task\":\"t.x\",\"args\":[],\"options\":{\"task_id\":\"i\",\"queue\":\"q\"}}";
        String chainFirst = "{\"v\":1,\"headers\":{\"task\":\"t\",\"id\":\"i0\",\"queue\":\"q\"},\"body\":[[],{},"
                + "{\"chain\":[" + sig + "],\"chord\":null}]}";
        Envelope e = Envelope.decode(chainFirst);
        assertEquals("t.x", e.embed().chain().get(0).task());
        String bodyFirst = "{\"body\":[[],{},{\"chain\":[" + sig + "]}],\"v\":1,"
                + "\"headers\":{\"task\":\"t\",\"id\":\"i0\",\"queue\":\"q\"}}";
        assertEquals("t.x", Envelope.decode(bodyFirst).embed().chain().get(0).task());
    }

    @Test
    void aMalformedNextStepIsRefusedWithTheReasonAndOneFurtherOnWhenItIsNext() throws Exception {
        String good = "{\"task\":\"t.x\",\"args\":[],\"options\":{\"task_id\":\"i\",\"queue\":\"q\"}}";
        String head = "{\"v\":1,\"headers\":{\"task\":\"t\",\"id\":\"i0\",\"queue\":\"q\"},\"body\":[[],{},"
                + "{\"callbacks\":null,\"chain\":[";
        String tail = "]}]}";
        String noTaskId = "{\"task\":\"t.x\",\"args\":[],\"options\":{\"queue\":\"q\"}}";
        assertTrue(refused(head + noTaskId + tail).contains("'task_id'"));
        assertTrue(refused(head + "1" + tail).contains("must be an object"));
        assertTrue(refused(head + "{\"task\":\"t\",}" + tail).contains("not JSON"));
        assertTrue(refused(head + tail).contains("empty array"));
        // Further on: the message is taken, the step before the bad one cannot pass it on.
        ChainSteps c = (ChainSteps) Envelope.decode(head + "garbage " + good + tail).embed().chain();
        assertEquals("t.x", c.last().task());
        assertTrue(assertThrows(Envelope.MalformedException.class, c::withoutLast).getMessage().contains("commas"));
        ChainSteps unread = (ChainSteps) Envelope.decode(head + noTaskId + ", " + good + tail).embed().chain();
        List<Embed.Step> rest = unread.withoutLast();
        assertTrue(assertThrows(Envelope.MalformedException.class, ((ChainSteps) rest)::last).getMessage()
                .contains("'task_id'"));
        assertTrue(assertThrows(Envelope.MalformedException.class,
                () -> ChainSteps.lastElementStart("{\"a\":\"}")).getMessage().contains("embed field 'chain'"));
    }

    private static String refused(String text) {
        return assertThrows(Envelope.MalformedException.class, () -> Envelope.decode(text)).getMessage();
    }
}
