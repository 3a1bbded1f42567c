package io.taskq.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Reading the workflow embed: what a worker accepts, and the reason it gives for what it dead-letters. */
class EmbedTest {
    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text.replace('\'', '"'));
    }

    private static String refused(String embed) throws Exception {
        JsonNode node = json(embed);
        return assertThrows(Envelope.MalformedException.class, () -> Embed.parse(node)).getMessage();
    }

    private static final String SIG = "{'task':'t.x','args':[1],'options':{'task_id':'i1','queue':'q'}}";

    @Test
    void nullAndAllNullFieldsAreNone() throws Exception {
        assertEquals(Embed.NONE, Embed.parse(null));
        assertEquals(Embed.NONE, Embed.parse(json("null")));
        assertEquals(Embed.NONE, Embed.parse(json("{'callbacks':null,'errbacks':null,'chain':null,'chord':null}")));
        assertEquals(Embed.NONE, Embed.parse(json("{}")));
    }

    @Test
    void aSignatureReadsWithDefaultsAndRoundTrips() throws Exception {
        Embed e = Embed.parse(json("{'callbacks':[" + SIG + "]}"));
        Embed.Step s = e.callbacks().get(0);
        assertEquals("t.x", s.task());
        assertEquals(4, s.priority());
        assertEquals(false, s.immutable());
        assertEquals(e, Embed.parse(e.toJson()));
    }

    @Test
    void malformedEmbedsSayWhy() throws Exception {
        assertTrue(refused("[]").contains("must be an object"));
        assertTrue(refused("{'chord':{}}").contains("chord"));
        assertTrue(refused("{'callbacks':{}}").contains("must be an array"));
        assertTrue(refused("{'callbacks':[1]}").contains("callbacks[0] must be an object"));
        assertTrue(refused("{'errbacks':[{'args':[],'options':{'task_id':'i','queue':'q'}}]}")
                .contains("errbacks[0] needs a 'task' string"));
        assertTrue(refused("{'chain':[{'task':'t','args':[],'options':{'queue':'q'}}]}")
                .contains("'task_id'"));
        assertTrue(refused("{'chain':[{'task':'t','args':{},'options':{'task_id':'i','queue':'q'}}]}")
                .contains("'args' array"));
        assertTrue(refused("{'chain':[{'task':'t','args':[],'kwargs':{'a':1},'options':{'task_id':'i','queue':'q'}}]}")
                .contains("keyword arguments"));
        assertTrue(refused("{'chain':[{'task':'t','args':[],'options':{'task_id':'i','queue':'q','priority':10}}]}")
                .contains("priority"));
        assertTrue(refused("{'chain':[{'task':'t','args':[],'options':{'task_id':'i','queue':'q','countdown':-1}}]}")
                .contains("countdown"));
        assertTrue(refused("{'chain':[{'task':'t','args':[],'options':{'task_id':'i','queue':'q','time_limit':0}}]}")
                .contains("time_limit"));
        assertTrue(refused("{'chain':[{'task':'t\\u0001','args':[],'options':{'task_id':'i','queue':'q'}}]}")
                .contains("control character"));
    }

    @Test
    void countAndDepthAreBounded() throws Exception {
        StringBuilder many = new StringBuilder("{'chain':[");
        for (int i = 0; i <= Embed.MAX_SIGNATURES; i++) {
            many.append(i == 0 ? "" : ",").append(SIG);
        }
        assertTrue(refused(many + "]}").contains("more than 1000 signatures"));
        String deep = SIG;
        for (int i = 0; i < Embed.MAX_DEPTH; i++) {
            deep = "{'task':'t.x','args':[],'options':{'task_id':'i','queue':'q','link':[" + deep + "]}}";
        }
        assertTrue(refused("{'callbacks':[" + deep + "]}").contains("nest deeper"));
    }

    @Test
    void aChordReadsAndRoundTripsAndAMalformedOneSaysWhy() throws Exception {
        Embed e = Embed.parse(json("{'chord':{'id':'c1','index':2,'size':3,'callback':" + SIG + ",'chain':["
                + SIG + "]},'chain':[{'task':'t.cb','args':[],'options':{'task_id':'cb','queue':'q'},"
                + "'subtask_type':'chord','header':[" + SIG + "," + SIG + "]}]}"));
        assertEquals("c1", e.chord().id());
        assertEquals(2, e.chord().index());
        assertEquals(3, e.chord().size());
        assertEquals("t.x", e.chord().callback().task());
        assertEquals(1, e.chord().chain().size());
        assertEquals(2, e.chain().get(0).header().size());
        assertEquals(e, Embed.parse(e.toJson()));
        assertTrue(refused("{'chord':[]}").contains("'chord' must be an object"));
        assertTrue(refused("{'chord':{'index':0,'size':1,'callback':" + SIG + "}}").contains("'id'"));
        assertTrue(refused("{'chord':{'id':'c','index':3,'size':3,'callback':" + SIG + "}}").contains("'index'"));
        assertTrue(refused("{'chord':{'id':'c','index':0,'size':0,'callback':" + SIG + "}}").contains("'size'"));
        assertTrue(refused("{'chord':{'id':'c','index':0,'size':1}}").contains("'callback'"));
        assertTrue(refused("{'chord':{'id':'c','index':0,'size':1,'callback':{'task':'t'}}}")
                .contains("chord.callback needs an 'args' array"));
    }
}
