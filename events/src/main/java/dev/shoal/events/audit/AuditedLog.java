package dev.shoal.events.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.shoal.events.Topic;

/** Which records the audit commits to, and where its checkpoints are: shared by audit-service and the verifier. */
public final class AuditedLog {
    private AuditedLog() {
    }

    /** Every topic the audit commits to: the whole log (dead letters included) but the checkpoints, signed apart. */
    public static List<String> topics() {
        List<String> topics = new ArrayList<>();
        for (Topic t : Topic.values()) {
            if (t != Topic.AUDIT_CHECKPOINTS) {
                topics.add(t.id());
            }
        }
        topics.add(Topic.DEAD_LETTERS);
        return topics;
    }

    /** Every record of {@code shoal.audit.checkpoints} as stored, read with {@code kafka}'s login, in offset order. */
    public static List<ConsumerRecord<byte[], byte[]>> checkpointRecords(Map<String, Object> kafka) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            return checkpointRecords(c);
        }
    }

    /** The same with a consumer of the caller's, which is left unassigned afterwards. */
    public static List<ConsumerRecord<byte[], byte[]>> checkpointRecords(KafkaConsumer<byte[], byte[]> c) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        List<TopicPartition> partitions = c.partitionsFor(Topic.AUDIT_CHECKPOINTS.id(), Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
            c.poll(Duration.ofMillis(500)).forEach(found::add);
        }
        c.unsubscribe();
        return found;
    }
}
