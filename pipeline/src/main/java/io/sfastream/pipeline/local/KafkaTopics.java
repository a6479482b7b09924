package io.sfastream.pipeline.local;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics up front and waits until every partition leader answers. Producing right after
 * creation can hit NOT_LEADER_OR_FOLLOWER and, with the idempotent producer, lose a batch
 * (KAFKA-15591, unfixed in the brokers served here), so nothing writes to a topic before this
 * returns.
 */
public final class KafkaTopics {
    private KafkaTopics() {}

    /** A topic to create: name, partitions, and whether it is compacted (model-snapshots is). */
    public record TopicSpec(String name, int partitions, boolean compacted) {
        public static TopicSpec of(String name, int partitions) {
            return new TopicSpec(name, partitions, false);
        }
    }

    public static void create(
            String bootstrapServers, Collection<TopicSpec> topics, Duration timeout)
            throws InterruptedException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> newTopics =
                    topics.stream()
                            .map(
                                    t -> {
                                        NewTopic nt =
                                                new NewTopic(t.name(), t.partitions(), (short) 1);
                                        if (t.compacted()) {
                                            nt.configs(
                                                    Map.of(
                                                            TopicConfig.CLEANUP_POLICY_CONFIG,
                                                            TopicConfig.CLEANUP_POLICY_COMPACT));
                                        }
                                        return nt;
                                    })
                            .toList();
            for (var entry : admin.createTopics(newTopics).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic "
                                        + entry.getKey()
                                        + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
            awaitLeaders(admin, topics, timeout);
        }
    }

    /** How many partitions {@code topic} has (it must exist). */
    public static int partitions(String bootstrapServers, String topic, Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(p)) {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .get(topic)
                    .partitions()
                    .size();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "cannot describe topic "
                            + topic
                            + " on "
                            + bootstrapServers
                            + " (does it exist? sfa broker creates it): "
                            + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitLeaders(Admin admin, Collection<TopicSpec> topics, Duration timeout)
            throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (TopicSpec t : topics) {
            for (int i = 0; i < t.partitions(); i++) {
                request.put(new TopicPartition(t.name(), i), OffsetSpec.latest());
            }
        }
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                admin.listOffsets(request).all().get();
                return;
            } catch (ExecutionException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        Set<String> names = topics.stream().map(TopicSpec::name).collect(Collectors.toSet());
        throw new IllegalStateException(
                "partition leaders of " + names + " did not answer within " + timeout, last);
    }
}
