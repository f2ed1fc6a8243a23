package dev.shoal.audit.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.shoal.platform.messaging.KafkaSettings;

/** Records read back from the broker by their place, byte for byte, for exports. */
@ApplicationScoped
public class StoredRecords {
    private final KafkaSettings kafka;

    public StoredRecords(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /** The records at {@code offsets} of each partition; a place the broker no longer has is absent from the answer. */
    public Map<TopicPartition, Map<Long, ConsumerRecord<byte[], byte[]>>> read(Map<TopicPartition, Set<Long>> offsets) {
        Map<String, Object> config = kafka.base();
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<TopicPartition, Map<Long, ConsumerRecord<byte[], byte[]>>> found = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (Map.Entry<TopicPartition, Set<Long>> e : offsets.entrySet()) {
                TopicPartition tp = e.getKey();
                TreeSet<Long> wanted = new TreeSet<>(e.getValue());
                Map<Long, ConsumerRecord<byte[], byte[]>> got = new HashMap<>();
                c.assign(List.of(tp));
                long end = c.endOffsets(List.of(tp)).get(tp);
                long start = Math.max(wanted.first(), c.beginningOffsets(List.of(tp)).get(tp));
                c.seek(tp, start);
                long last = Math.min(wanted.last(), end - 1);
                int idle = 0;
                while (start <= last && c.position(tp) <= last && idle < 20) {
                    List<ConsumerRecord<byte[], byte[]>> batch = c.poll(Duration.ofMillis(200)).records(tp);
                    idle = batch.isEmpty() ? idle + 1 : 0;
                    for (ConsumerRecord<byte[], byte[]> r : batch) {
                        if (wanted.contains(r.offset())) {
                            got.put(r.offset(), r);
                        }
                    }
                    Long next = wanted.ceiling(c.position(tp));
                    if (next != null && next > c.position(tp)) {
                        c.seek(tp, next); // skip what was not asked for
                    }
                }
                found.put(tp, got);
            }
        }
        return found;
    }
}
