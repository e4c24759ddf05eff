package io.apexaudition.e2e;

import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka settings every service relies on, stated explicitly in its configuration: every SmallRye outgoing
 * channel acks=all with idempotence, every incoming channel read_committed, the planner exactly_once_v2.
 */
class KafkaSettingsTest {
    static final Path ROOT = Path.of(System.getProperty("apex.repo.root", ".."));
    static final Pattern CHANNEL = Pattern.compile("^mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.connector$");

    static Properties load(String module) throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve(module).resolve("src/main/resources/application.properties"))) {
            p.load(r);
        }
        return p;
    }

    @Test
    void shouldStateAcksIdempotenceAndReadCommittedOnEverySmallRyeChannel() throws Exception {
        int channels = 0;
        for (String module : new String[]{"dispatcher-service", "poller-service", "recorder-service"}) {
            Properties p = load(module);
            for (String key : p.stringPropertyNames()) {
                Matcher m = CHANNEL.matcher(key);
                if (!m.matches()) {
                    continue;
                }
                channels++;
                String prefix = "mp.messaging." + m.group(1) + "." + m.group(2) + ".";
                if (m.group(1).equals("outgoing")) {
                    assertThat(p.getProperty(prefix + "acks")).as(module + " " + key).isEqualTo("all");
                    assertThat(p.getProperty(prefix + "enable.idempotence")).as(module + " " + key).isEqualTo("true");
                } else {
                    assertThat(p.getProperty(prefix + "isolation.level")).as(module + " " + key)
                            .isEqualTo("read_committed");
                }
            }
        }
        assertThat(channels).isGreaterThanOrEqualTo(2);
    }

    @Test
    void shouldRunThePlannerExactlyOnceWithCommittedReads() throws Exception {
        Properties p = load("planner-service");

        assertThat(p.getProperty("kafka-streams.processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(p.getProperty("kafka-streams.consumer.isolation.level")).isEqualTo("read_committed");
        assertThat(p.getProperty("kafka-streams.producer.acks")).isEqualTo("all");
    }
}
