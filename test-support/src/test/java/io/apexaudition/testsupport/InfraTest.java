package io.apexaudition.testsupport;

import io.apexaudition.events.TopicSpec;
import io.apexaudition.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfraTest {

    @Test
    void shouldCreateEveryRegistryTopicWithItsPartitionsAndCleanupPolicy() throws Exception {
        String servers = KafkaInfra.bootstrapServers();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            List<String> names = Topics.ALL.stream().map(TopicSpec::name).toList();
            Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            for (TopicSpec spec : Topics.ALL) {
                assertThat(described.get(spec.name()).partitions()).hasSize(spec.partitions());
                Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                        spec.name()))).all().get(30, TimeUnit.SECONDS).values().iterator().next();
                assertThat(config.get("cleanup.policy").value()).isEqualTo(spec.config().get("cleanup.policy"));
                if (spec.cleanupPolicy() == TopicSpec.CleanupPolicy.EVENTS) {
                    assertThat(config.get("retention.ms").value()).isEqualTo("-1");
                }
            }
        }
    }

    @Test
    void shouldNeverCreateATopicByAccidentWhenAProducerNamesAnUnknownOne() {
        String servers = KafkaInfra.bootstrapServers();
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);

        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("apex.not-in-the-registry", "k", "v"))
                    .get(10, TimeUnit.SECONDS)).hasMessageContaining("not present in metadata");
        }
    }

    @Test
    void shouldGiveEachCallerAFreshEmptyDatabase() throws Exception {
        Database first = PostgresInfra.freshDatabase();
        Database second = PostgresInfra.freshDatabase();

        assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl());
        try (Connection c = first.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE marker (id int)");
        }
        try (Connection c = second.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'marker'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void shouldPointAJdbcUrlAtAnotherDatabaseKeepingItsParameters() {
        assertThat(PostgresInfra.withDatabase("jdbc:postgresql://h:5432/postgres?sslmode=disable", "x"))
                .isEqualTo("jdbc:postgresql://h:5432/x?sslmode=disable");
    }
}
