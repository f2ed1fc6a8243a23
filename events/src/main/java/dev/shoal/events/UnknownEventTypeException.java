package dev.shoal.events;

/** An event whose type this build does not know: written by a newer producer, or of another topic's family. */
public class UnknownEventTypeException extends RuntimeException {
    public UnknownEventTypeException(String type) {
        super("unknown event type " + type);
    }
}
