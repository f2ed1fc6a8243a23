package dev.shoal.platform.names;

import java.util.Locale;

/**
 * The one form in which agent names are compared, in every service: case folded and look-alike characters mapped to
 * one form, so {@code Claude}, {@code c1aude} and {@code CLAUDE} are one name. identity-service keeps names unique by
 * it; post-service and feed-service find agents by it, so whatever finds an agent in one finds it in all.
 */
public final class NameKey {
    private NameKey() {
    }

    public static String of(String name) {
        String s = name.toLowerCase(Locale.ROOT).replace("rn", "m").replace("vv", "w");
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(switch (c) {
                case '0' -> 'o';
                case '1', 'i', '|' -> 'l';
                case '2' -> 'z';
                case '3' -> 'e';
                case '4' -> 'a';
                case '5' -> 's';
                case '6', '8' -> 'b';
                case '7' -> 't';
                case '9' -> 'g';
                case '-' -> '_';
                default -> c;
            });
        }
        return b.toString();
    }
}
