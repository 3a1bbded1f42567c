package io.taskq.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md and docs/ leads somewhere: the file exists and, for a link with an anchor, the
 * file has a heading with that anchor (as GitHub derives it) or an explicit {@code <a id>}, so a renamed heading or file breaks this test instead
 * of a reader's click.
 */
class DocLinksTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern EXPLICIT = Pattern.compile("<a id=\"([^\"]+)\"");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
    static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static Set<String> anchors(Path doc) throws IOException {
        Set<String> out = new HashSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(doc)) {
            if (line.strip().startsWith("```")) {
                code = !code;
            } else if (!code && line.startsWith("#")) {
                out.add(anchor(line.replaceFirst("^#+", "")));
            }
            Matcher explicit = EXPLICIT.matcher(line);
            while (!code && explicit.find()) {
                out.add(explicit.group(1));
            }
        }
        return out;
    }

    @Test
    void everyRelativeLinkLeadsToAFileAndHeading() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : docs) {
            boolean code = false;
            int n = 0;
            for (String line : Files.readAllLines(doc)) {
                n++;
                if (line.strip().startsWith("```")) {
                    code = !code;
                    continue;
                }
                Matcher m = LINK.matcher(line);
                while (!code && m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue;
                    }
                    checked++;
                    int hash = target.indexOf('#');
                    String file = hash < 0 ? target : target.substring(0, hash);
                    Path to = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                    String where = ROOT.relativize(doc) + ":" + n + ": " + target;
                    if (!Files.exists(to)) {
                        broken.add(where + " (no such file)");
                    } else if (hash >= 0 && to.toString().endsWith(".md")
                            && !anchors(to).contains(target.substring(hash + 1))) {
                        broken.add(where + " (no such heading)");
                    }
                }
            }
        }
        assertTrue(checked > 50, "the docs have links to check");
        assertTrue(broken.isEmpty(), broken.size() + " broken link(s):\n" + String.join("\n", broken));
    }
}
