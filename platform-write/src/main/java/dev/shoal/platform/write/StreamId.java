package dev.shoal.platform.write;

import java.util.Objects;

import dev.shoal.events.Topic;

/** One stream of the log: a topic and a subject (the Kafka key), whose events are numbered 1, 2, 3, ... */
public record StreamId(Topic topic, String subject) {
    public StreamId {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subject, "subject");
    }
}
