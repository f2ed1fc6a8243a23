package dev.shoal.launcher;

/** Something the launcher cannot do, said so that an operator knows what to fix. */
public class LaunchException extends RuntimeException {
    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
