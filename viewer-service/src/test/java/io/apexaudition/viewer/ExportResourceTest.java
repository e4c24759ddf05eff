package io.apexaudition.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/**
 * A run's exports: CSV and JSON Lines (one record per generation, every column), and the static HTML bundle (one
 * file, nothing fetched, the run's outputs inside); all three streamed, checked on a run of 20,000 generations.
 */
@QuarkusTest
@QuarkusTestResource(ViewerDatabaseResource.class)
class ExportResourceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Anything a browser would fetch from the network: a src or href (or CSS url) to http(s) or protocol-relative. */
    static final Pattern EXTERNAL = Pattern.compile(
            "(?i)(src|href|action)\\s*=\\s*[\"']?\\s*(https?:)?//|url\\(\\s*[\"']?\\s*(https?:)?//|@import");

    @Inject
    DataSource dataSource;

    @Test
    void shouldExportEveryGenerationAsCsv() {
        String csv = given().get("/api/runs/run-poems/generations.csv").then().statusCode(200)
                .header("Content-Type", startsWith("text/csv"))
                .header("Content-Disposition", containsString("run-poems-generations.csv"))
                .extract().asString();
        assertThat(csv).startsWith("id,run_id,lane_id,condition_id,prompt_id,");
        // records end in CRLF; outputs hold bare LFs inside quoted fields, so records are counted by their start
        assertThat(csv.split("\r\n(?=run-poems/)", -1)).hasSize(13);
        // in prompt, then lane order: the order of the (run, prompt, lane) index, so nothing is sorted first
        assertThat(csv.split("\r\n", 3)[1]).startsWith("run-poems/4o.t1-0/p01/1,run-poems,4o.t1-0,cond-4o,p01,");
        assertThat(csv).contains("\"\"Your collateral,\"\" said the bank");
        assertThat(csv).contains("max_tokens: 40000 > 32000");
    }

    @Test
    void shouldExportOneJsonObjectPerGenerationWithEveryColumnTypedAndTheExactOutput() throws Exception {
        String jsonl = given().get("/api/runs/run-poems-b/generations.jsonl").then().statusCode(200)
                .header("Content-Type", startsWith("application/jsonl"))
                .header("Content-Disposition", containsString("run-poems-b-generations.jsonl"))
                .extract().asString();
        assertThat(jsonl).endsWith("\n");
        List<JsonNode> rows = new ArrayList<>();
        for (String line : jsonl.split("\n")) {
            rows.add(JSON.readTree(line));
        }
        assertThat(rows).hasSize(7);
        assertThat(rows).extracting(r -> r.get("prompt_id").asText() + "/" + r.get("lane_id").asText())
                .containsExactly("p01/4o.t1-0", "p01/gpt5.reason-med", "p01/opus.t0-8.std", "p01/sonnet.t0-8.std",
                        "p02/4o.t1-0", "p02/gpt5.reason-med", "p02/opus.t0-8.std");
        JsonNode gpt5 = rows.get(1);
        assertThat(gpt5.size()).as("every column of the CSV").isEqualTo(26);
        assertThat(gpt5.get("cost_usd").isNumber()).isTrue();
        assertThat(gpt5.get("cost_usd").decimalValue()).isEqualByComparingTo("0.02");
        assertThat(gpt5.get("output_tokens").asLong()).isEqualTo(120);
        assertThat(gpt5.get("cache_hit").isBoolean()).isTrue();
        assertThat(gpt5.get("completed_at").asText()).isEqualTo("2026-11-28T10:20:00Z");
        assertThat(gpt5.get("output_text").asText()).isEqualTo("The lamp is a box now. It blinks; it does not keep.");
        JsonNode error = rows.get(5);
        assertThat(error.get("error_kind").asText()).isEqualTo("expired");
        assertThat(error.get("attempt").asInt()).isEqualTo(2);
        assertThat(error.get("output_text").isNull()).isTrue();
        // the output with a NUL: exact here (output_text_exact), where the text column holds U+FFFD
        assertThat(rows.get(3).get("output_text").asText()).isEqualTo("The keeper\u0000s log, last page.");
    }

    @Test
    void shouldBundleARunAsOneSelfContainedHtmlFile() {
        Response r = given().get("/api/runs/run-poems/bundle.html");
        r.then().statusCode(200).header("Content-Type", startsWith("text/html"))
                .header("Content-Disposition", containsString("run-poems.html"));
        String html = r.asString();
        assertThat(html).startsWith("<!doctype html>").endsWith("</html>\n");
        assertThat(EXTERNAL.matcher(html).find()).as("no external src, href, url() or @import").isFalse();
        assertThat(html).doesNotContain("http://", "https://", "<link", "src=\"");
        // its CSS and scripts inline, the run's data embedded, every output inside
        assertThat(html).contains("<style>", "--paper:", "function outputCard(", "id=\"apex-generations\"");
        assertThat(html).contains("\"id\":\"run-poems\"", "\"notes\":\"Production run\"",
                "The lamp turned as it always had", "\\\"Your collateral,\\\" said the bank",
                "Salt on the glass again tonight", "max_tokens: 40000 \\u003E 32000",
                "\"title\":\"The lighthouse keeper's last log\"", "# House style");
        assertThat(html.split("\"lane_id\":", -1)).as("the run's 12 generations").hasSize(13);
    }

    @Test
    void shouldStreamTheExportsOfALargeRunOneLinePerGeneration() throws Exception {
        int n = 20_000;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO apex_audition.runs (id, status, mode, accepted_at) VALUES ('run-stream',"
                    + " 'completed', 'batch', '2020-01-01T00:00:00Z')");
            // 40 lanes x 500 prompts; outputs hold a line break, quotes and text that would close a script element
            s.execute("INSERT INTO apex_audition.generations (id, run_id, lane_id, prompt_id, replicate, attempt,"
                    + " status, output_text, cost_usd, updated_at) SELECT 'run-stream/l' || l || '/p' || p || '/1',"
                    + " 'run-stream', 'lane' || lpad(l::text, 2, '0'), 'p' || lpad(p::text, 4, '0'), 1, 1,"
                    + " 'completed', E'line one \"' || p || E'\"\\nline two </script><b>bold</b>', 0.001, now()"
                    + " FROM generate_series(1, 40) l, generate_series(1, 500) p");
        }
        try {
            Response csv = given().get("/api/runs/run-stream/generations.csv");
            assertStreamed(csv);
            assertThat(csv.asString().split("\r\n(?=run-stream/)", -1)).hasSize(n + 1);

            Response jsonl = given().get("/api/runs/run-stream/generations.jsonl");
            assertStreamed(jsonl);
            String[] lines = jsonl.asString().split("\n");
            assertThat(lines).hasSize(n);
            assertThat(JSON.readTree(lines[n - 1]).get("output_text").asText())
                    .isEqualTo("line one \"500\"\nline two </script><b>bold</b>");

            Response bundle = given().get("/api/runs/run-stream/bundle.html");
            assertStreamed(bundle);
            String html = bundle.asString();
            assertThat(html.split("\"lane_id\":", -1)).hasSize(n + 1);
            // an output's "</script>" is written escaped: it cannot end the data early
            assertThat(html).doesNotContain("</script><b>").contains("\\u003C/script\\u003E\\u003Cb\\u003Ebold");
            assertThat(html.split("</script>", -1)).as("only the bundle's own five script elements").hasSize(6);
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DELETE FROM apex_audition.generations WHERE run_id = 'run-stream'");
                s.execute("DELETE FROM apex_audition.runs WHERE id = 'run-stream'");
            }
        }
    }

    /** Sent as it is written: chunked, with no length announced (a body built in memory first would have one). */
    private static void assertStreamed(Response r) {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header("Content-Length")).isNull();
        assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
    }
}
