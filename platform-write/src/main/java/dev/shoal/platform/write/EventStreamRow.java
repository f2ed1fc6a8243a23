package dev.shoal.platform.write;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/** A row of {@code event_stream}: the version of a stream's last event; written only by {@link EventWriter}. */
@Entity
@Table(name = "event_stream")
@IdClass(EventStreamRow.Key.class)
public class EventStreamRow {
    @Id
    public String topic;
    @Id
    public String subject;
    public long version;

    public static class Key implements Serializable {
        public String topic;
        public String subject;

        public Key() {
        }

        public Key(String topic, String subject) {
            this.topic = topic;
            this.subject = subject;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(topic, k.topic) && Objects.equals(subject, k.subject);
        }

        @Override
        public int hashCode() {
            return Objects.hash(topic, subject);
        }
    }
}
