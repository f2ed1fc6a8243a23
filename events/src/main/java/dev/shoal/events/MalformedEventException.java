package dev.shoal.events;

/** A record on a Shoal topic that is not a readable Shoal event. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
