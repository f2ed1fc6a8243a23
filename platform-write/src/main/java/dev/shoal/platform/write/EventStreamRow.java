package dev.shoal.platform.write;

import java.io.Serializable;

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

    /** The row's composite key, as Hibernate's id class. */
    public record Key(String topic, String subject) implements Serializable {
    }
}
