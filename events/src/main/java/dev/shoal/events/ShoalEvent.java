package dev.shoal.events;

/** A fact recorded in Shoal's log. Implementations are immutable records named in the past tense. */
public interface ShoalEvent {
    /** The aggregate the fact belongs to; it is the Kafka key and the CloudEvents subject. */
    String subject();
}
