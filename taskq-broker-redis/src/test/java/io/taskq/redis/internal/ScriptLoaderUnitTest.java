package io.taskq.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.redis.internal.Scripts.Name;
import org.junit.jupiter.api.Test;

/** Reading the script resources and naming them as Redis does; no Redis needed. */
class ScriptLoaderUnitTest {

    @Test
    void digestsAreSha1InLowerCaseHexAsRedisNamesScripts() {
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", ScriptLoader.sha1("abc"));
        assertEquals("da39a3ee5e6b4b0d3255bfef95601890afd80709", ScriptLoader.sha1(""));
        // UTF-8, as Redis hashes the bytes it got
        assertEquals("64d0cbc5f02c3904ee4f439ca476480b67b5e3e1", ScriptLoader.sha1("\u00e9t\u00e9"));
    }

    @Test
    void aQueueScriptIsThePreludeThenBeginThenItsBody() {
        Scripts scripts = new Scripts();
        for (Name n : Name.values()) {
            String body = ScriptLoader.read(n.file);
            String expected = n.queueScript ? ScriptLoader.prelude() + "\nbegin()\n" + body : body;
            assertEquals(expected, scripts.source(n), n.toString());
        }
    }

    @Test
    void thePreludeIsItsPartsJoinedInTheirOrder() {
        StringBuilder joined = new StringBuilder();
        for (String part : ScriptLoader.PRELUDE_PARTS) {
            joined.append(joined.isEmpty() ? "" : "\n").append(ScriptLoader.read(part));
        }
        assertEquals(joined.toString(), ScriptLoader.prelude());
        assertTrue(ScriptLoader.prelude().contains("local function begin()"), "the prelude defines begin()");
    }

    @Test
    void aStandAloneScriptIsNamedByTheDigestOfItsSource() {
        ScriptLoader.Script s = ScriptLoader.script("sched-write");
        assertEquals("sched-write", s.name());
        assertEquals(ScriptLoader.read("sched-write"), s.source());
        assertEquals(ScriptLoader.sha1(s.source()), s.sha());
        assertThrows(IllegalStateException.class, () -> ScriptLoader.read("no-such-script"));
        assertThrows(IllegalStateException.class, () -> ScriptLoader.checkLoaded("x", "0", "1"));
    }
}
