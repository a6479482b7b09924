package io.sfastream.pipeline.replay;

import io.sfastream.pipeline.local.KafkaTopics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Checks, before a replay sends anything, that the broker answers and the topic exists, so that a
 * wrong address or a stopped broker is one clear sentence after a short wait instead of a producer
 * blocking for a minute and a stack trace.
 */
public final class BrokerCheck {
    private BrokerCheck() {}

    /**
     * @param createPartitions create a missing topic with this many partitions; 0 = a missing topic
     *     is an error
     * @return the topic's partition count
     * @throws ReplayException naming the address and what to check
     */
    public static int require(
            String bootstrapServers, String topic, Duration timeout, int createPartitions)
            throws InterruptedException {
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, Math.min(ms, 2000));
        p.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, Math.min(ms, 2000));
        Admin admin;
        try {
            admin = Admin.create(p);
        } catch (KafkaException e) {
            throw new ReplayException(
                    "cannot use kafka.bootstrapServers '"
                            + bootstrapServers
                            + "': "
                            + rootMessage(e)
                            + " (expected host:port[,host:port…])",
                    e);
        }
        try {
            try {
                admin.describeCluster().nodes().get(ms, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw unreachable(bootstrapServers, timeout, e);
            }
            try {
                return admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(ms, TimeUnit.MILLISECONDS)
                        .get(topic)
                        .partitions()
                        .size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new ReplayException(
                            "cannot describe topic "
                                    + topic
                                    + " on "
                                    + bootstrapServers
                                    + ": "
                                    + rootMessage(e),
                            e);
                }
            } catch (TimeoutException e) {
                throw unreachable(bootstrapServers, timeout, e);
            }
        } finally {
            admin.close(Duration.ofSeconds(2));
        }
        if (createPartitions <= 0) {
            throw new ReplayException(
                    "topic "
                            + topic
                            + " does not exist on "
                            + bootstrapServers
                            + ": bin/sfa broker creates the pipeline's topics, or pass"
                            + " --create-topic");
        }
        KafkaTopics.create(
                bootstrapServers,
                List.of(KafkaTopics.TopicSpec.of(topic, createPartitions)),
                timeout.multipliedBy(3));
        return createPartitions;
    }

    private static ReplayException unreachable(String servers, Duration timeout, Exception e) {
        return new ReplayException(
                "cannot reach Kafka at "
                        + servers
                        + " within "
                        + seconds(timeout)
                        + ": is the broker running (bin/sfa broker) and is"
                        + " kafka.bootstrapServers right?",
                e);
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0
                ? ms / 1000 + " s"
                : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1e3);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
