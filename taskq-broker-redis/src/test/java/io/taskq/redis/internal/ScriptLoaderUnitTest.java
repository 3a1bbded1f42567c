package io.taskq.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.redis.internal.Scripts.Name;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Reading the script resources and naming them as Redis does; no Redis needed. */
class ScriptLoaderUnitTest {
    /** The order of the prelude's parts, as ScriptLoader's Javadoc and each part's first line document it. */
    private static final List<String> DOCUMENTED_ORDER = List.of("lib-state", "lib-format", "lib-records",
            "lib-dead", "lib-reap", "lib-finish", "lib-follow-ups", "lib-claim", "lib-begin");
    private static final Pattern LOCAL_FUNCTION = Pattern.compile("(?m)^local function ([A-Za-z_][A-Za-z0-9_]*)\\(");

    @Test
    void digestsAreSha1InLowerCaseHexAsRedisNamesScripts() {
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", ScriptLoader.sha1("abc"));
        assertEquals("da39a3ee5e6b4b0d3255bfef95601890afd80709", ScriptLoader.sha1(""));
        // of the UTF-8 bytes, as Redis hashes the bytes it got
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
    void thePreludeIsEveryPartJoinedInTheDocumentedOrder() {
        assertEquals(DOCUMENTED_ORDER, ScriptLoader.PRELUDE_PARTS);
        StringBuilder joined = new StringBuilder();
        int n = DOCUMENTED_ORDER.size();
        for (int i = 0; i < n; i++) {
            String name = DOCUMENTED_ORDER.get(i);
            String part = ScriptLoader.read(name);
            assertTrue(part.startsWith("-- " + name + ".lua, part " + (i + 1) + " of " + n + " "),
                    name + " says where it goes");
            assertTrue(part.endsWith("\n"), name + " ends with a line break, so that parts join line by line");
            assertTrue(LOCAL_FUNCTION.matcher(part).find() || part.contains("\nlocal "), name + " defines something");
            joined.append(part);
        }
        assertEquals(joined.toString(), ScriptLoader.prelude());
        assertTrue(ScriptLoader.prelude().contains("\nlocal function begin()\n"), "the prelude defines begin()");
    }

    /**
     * A Lua {@code local function} is visible only after its definition: no part may call a function of a later
     * part (it would read a global of that name, nil, at run time).
     */
    @Test
    void noPartUsesAFunctionOfALaterPart() {
        List<String> parts = new ArrayList<>();
        for (String name : ScriptLoader.PRELUDE_PARTS) {
            parts.add(ScriptLoader.read(name));
        }
        for (int i = 0; i < parts.size(); i++) {
            Matcher m = LOCAL_FUNCTION.matcher(parts.get(i));
            while (m.find()) {
                Pattern call = Pattern.compile("(?<![A-Za-z0-9_.:])" + m.group(1) + "\\(");
                for (int j = 0; j < i; j++) {
                    String code = parts.get(j).replaceAll("(?m)--.*$", "");
                    assertFalse(call.matcher(code).find(), ScriptLoader.PRELUDE_PARTS.get(j) + " calls "
                            + m.group(1) + ", defined later in " + ScriptLoader.PRELUDE_PARTS.get(i));
                }
            }
        }
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
