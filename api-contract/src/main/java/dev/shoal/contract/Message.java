package dev.shoal.contract;

/** A command's answer that carries no resource: {@code {"success":true,"message":…}}. */
public record Message(boolean success, String message) {
    public static Message of(String message) {
        return new Message(true, message);
    }
}
