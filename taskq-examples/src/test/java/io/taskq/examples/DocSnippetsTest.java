package io.taskq.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Java snippets in README.md and docs/ are taken from compiled sources: every statement line of a
 * {@code ```java} block must occur in some .java file of the project (usually {@code DocSnippets} or an example), so
 * an API change that breaks a snippet breaks this test instead of silently rotting the docs.
 */
class DocSnippetsTest {
    private static final Path ROOT = Path.of("..");

    private static String normalize(String line) {
        String s = line.strip();
        int comment = s.indexOf(" //");
        if (comment >= 0) {
            s = s.substring(0, comment).strip();
        }
        // Snippets show top-level classes; the compiled copies are nested, hence static.
        return s.replace("static ", "").replaceAll("\\s+", " ");
    }

    private static boolean isStatement(String s) {
        return !s.isEmpty() && !s.startsWith("//") && !s.startsWith("*") && !s.startsWith("/*")
                && !s.contains("...") && !s.matches("[{}();,\\s]*");
    }

    @Test
    void everySnippetLineComesFromCompiledSource() throws IOException {
        Set<String> sourceLines = new HashSet<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/"))::iterator) {
                for (String l : Files.readAllLines(f)) {
                    sourceLines.add(normalize(l));
                }
            }
        }
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        List<String> missing = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs) {
            boolean inJava = false;
            int n = 0;
            for (String line : Files.readAllLines(doc)) {
                n++;
                String t = line.strip();
                if (t.startsWith("```")) {
                    inJava = !inJava && t.equals("```java");
                    continue;
                }
                if (!inJava) {
                    continue;
                }
                String s = normalize(line);
                if (isStatement(s)) {
                    checked++;
                    if (!sourceLines.contains(s)) {
                        missing.add(ROOT.relativize(doc) + ":" + n + ": " + s);
                    }
                }
            }
        }
        assertTrue(checked > 50, "the docs have Java snippets to check");
        assertTrue(missing.isEmpty(), missing.size() + " snippet line(s) not found in any source:\n"
                + String.join("\n", missing));
    }
}
