package io.taskq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.taskq.contract.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every wire format has one definition: docs/protocol.md shows each golden file, as its text, after a
 * {@code <!-- golden: name -->} marker; the writers' tests compare with the files.
 */
class ProtocolDocTest {
    private static final Pattern EXAMPLE = Pattern.compile("<!-- golden: ([a-z-]+\\.json) -->\\s*```json\\n(.*?)```",
            Pattern.DOTALL);

    @Test
    void theDocumentShowsEveryGoldenFileAsItIs() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "protocol.md"));
        Map<String, String> shown = new LinkedHashMap<>();
        Matcher m = EXAMPLE.matcher(doc);
        while (m.find()) {
            shown.put(m.group(1), m.group(2));
        }
        assertEquals(Golden.FILES, shown.keySet().stream().toList(), "examples marked in docs/protocol.md");
        for (String name : Golden.FILES) {
            assertEquals(Golden.text(name), shown.get(name), name);
        }
        assertTrue(doc.contains("src/test/resources/io/taskq/protocol"), "the document says where the files are");
    }
}
