package io.apexaudition.viewer.persistence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apexaudition.viewer.domain.LaneSummary;
import io.apexaudition.viewer.domain.RunSummary;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one run as a single self-contained HTML file that opens from disk (file://) with no server and nothing
 * fetched: the viewer's own CSS and JavaScript inline, the run, its lanes and prompts as embedded JSON, then every
 * generation (output included) streamed from the database cursor into a second JSON block, so a run of any size is
 * written in constant memory. The page shows the matrix and each prompt's outputs side by side.
 */
@ApplicationScoped
public class RunBundleExporter {
    static final String RUN_DATA = "{{RUN_DATA}}";
    static final String GENERATIONS = "{{GENERATIONS}}";

    private final GenerationCursor cursor;
    private final GenerationRepository generations;
    private final PromptRepository prompts;
    private final ObjectMapper json;
    private final String[] template;

    public RunBundleExporter(GenerationCursor cursor, GenerationRepository generations, PromptRepository prompts,
            ObjectMapper json) {
        this.cursor = cursor;
        this.generations = generations;
        this.prompts = prompts;
        this.json = json;
        this.template = template();
    }

    /** The bundle template with the viewer's CSS and scripts inlined, split where the run's data goes. */
    private static String[] template() {
        String page = resource("bundle/run-bundle.html")
                .replace("/*{{APP_CSS}}*/", resource("META-INF/resources/app.css"))
                .replace("/*{{APP_JS}}*/", script(resource("META-INF/resources/app.js")))
                .replace("/*{{VIEW_JS}}*/", script(resource("META-INF/resources/matrix-view.js")))
                .replace("/*{{BUNDLE_JS}}*/", script(resource("bundle/bundle.js")));
        int run = page.indexOf(RUN_DATA);
        int gens = page.indexOf(GENERATIONS);
        if (run < 0 || gens < run) {
            throw new IllegalStateException("bundle/run-bundle.html lacks " + RUN_DATA + " before " + GENERATIONS);
        }
        return new String[] {page.substring(0, run), page.substring(run + RUN_DATA.length(), gens),
            page.substring(gens + GENERATIONS.length())};
    }

    /** A script as it can stand inside a script element: no "</" (none of ours has one; this keeps it so). */
    private static String script(String js) {
        return js.replace("</", "<\\/");
    }

    private static String resource(String path) {
        try (InputStream in = RunBundleExporter.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the viewer's resource " + path + " is missing from its jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What the bundle embeds besides the generations: the run and its lanes (as the API gives them), its prompts.
     * Read before the response streams, while the request's persistence context is there.
     */
    public Map<String, Object> data(RunSummary run, List<LaneSummary> lanes) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("run", run);
        data.put("lanes", lanes);
        data.put("exportedAt", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.now(ZoneOffset.UTC)));
        promptsOf(run.id(), data);
        return data;
    }

    /** Writes the bundle of the run: {@code data} from {@link #data}, then every generation from the cursor. */
    public void write(RunSummary run, Map<String, Object> data, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        w.write(template[0].replace("{{TITLE}}", html(run.id())));
        try (JsonGenerator g = json.getFactory().createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setCharacterEscapes(new HtmlSafe());
            // two JSON values in two script elements: nothing between them but the template's own text
            g.setRootValueSeparator(null);
            json.writeValue(g, data);
            g.writeRaw(template[1]);
            g.writeStartArray();
            cursor.forEach(run.id(), "HTML bundle", rs -> JsonRows.write(g, rs, null));
            g.writeEndArray();
            g.writeRaw(template[2]);
        }
        w.flush();
    }

    /** The run's prompts (the version each ran) and their shared contexts, each context once: they repeat. */
    private void promptsOf(String runId, Map<String, Object> data) {
        List<Map<String, Object>> list = new ArrayList<>();
        List<String> contexts = new ArrayList<>();
        Map<String, Integer> versions = generations.promptVersions(runId);
        Map<String, PromptEntity> found = prompts.versions(versions);
        for (String id : versions.keySet()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("id", id);
            PromptEntity e = found.get(id);
            if (e != null) {
                p.put("version", e.version);
                p.put("title", e.title);
                p.put("genre", e.genre);
                p.put("text", e.text);
                if (e.sharedContext != null) {
                    int at = contexts.indexOf(e.sharedContext);
                    if (at < 0) {
                        contexts.add(e.sharedContext);
                        at = contexts.size() - 1;
                    }
                    p.put("context", at);
                }
            }
            list.add(p);
        }
        data.put("prompts", list);
        data.put("contexts", contexts);
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** JSON inside a script element: '<', '>' and '&' as \\u escapes, so no text can close the element early. */
    static final class HtmlSafe extends CharacterEscapes {
        private final int[] escapes;

        HtmlSafe() {
            escapes = CharacterEscapes.standardAsciiEscapesForJSON();
            escapes['<'] = CharacterEscapes.ESCAPE_STANDARD;
            escapes['>'] = CharacterEscapes.ESCAPE_STANDARD;
            escapes['&'] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return null;
        }
    }
}
