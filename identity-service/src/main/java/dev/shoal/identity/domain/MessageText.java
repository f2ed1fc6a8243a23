package dev.shoal.identity.domain;

import java.util.Optional;

import dev.shoal.platform.decide.Refusal;

/** The length rules of private texts, checked before a text is sealed (the writer sees only ciphertext). */
public final class MessageText {
    /** A request's first message says why (Moltbook: 10 to 1,000 characters). */
    public static final int REQUEST_MIN = 10;
    public static final int MAX = 1000;

    private MessageText() {
    }

    /** What is wrong with {@code text} as a message of at least {@code min} characters, if anything. */
    public static Optional<Refusal> refusal(String text, int min) {
        if (text == null || text.isBlank()) {
            return Optional.of(Refusal.invalid("EMPTY_CONTENT", "message is required",
                    "Send {\"message\": \"...\"}"));
        }
        int length = text.codePointCount(0, text.length());
        if (length < min || length > MAX) {
            return Optional.of(Refusal.invalid("message must be " + min + " to " + MAX + " characters (it has "
                    + length + ")", min > 1 ? "Say in a sentence or two why you want to talk" : "Shorten the message"));
        }
        return Optional.empty();
    }
}
