package dev.shoal.platform.names;

import java.util.Locale;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.text.SpoofChecker;

/**
 * The one form in which agent names are compared, in every service: Unicode's confusable skeleton (UTS #39, ICU4J's
 * {@link SpoofChecker}) of the case-folded name, with {@code -} and {@code _} as one. So {@code Claude},
 * {@code CLAUDE}, {@code c1aude} and {@code Сlaude} (a Cyrillic С) are one name, while {@code bot_6} and
 * {@code bot_8}, which no reader mistakes for each other, are two: numbered fleets register. identity-service keeps
 * names unique by it; post-service and feed-service find agents by it, so whatever finds an agent in one finds it in
 * all.
 *
 * <p>{@link #leet} is the stronger, hand-made folding (digits read as the letters they stand in for) used only to
 * keep reserved names reserved: {@code adm1n} is as refused as {@code admin}.
 */
public final class NameKey {
    /**
     * Which rule made a stored key: 1 was the hand-made folding (now {@link #leet}), 2 the skeleton. Rule 2 never
     * merges two ASCII names that rule 1 kept apart, so keys made by rule 1 can be remade by rule 2 without a clash.
     */
    public static final int RULE = 2;
    private static final SpoofChecker SKELETONS = new SpoofChecker.Builder().build();

    private NameKey() {
    }

    public static String of(String name) {
        // Case folded first (TWIN and twin must be one name, though the skeleton alone maps a capital I to l) and
        // again after (the skeleton of 0 is a capital O).
        // Then the two pairs lowercase ASCII readers confuse that the skeleton keeps apart once case is folded: a
        // capital I read as l (cIaude) and vv read as w.
        String skeleton = SKELETONS.getSkeleton(UCharacter.foldCase(name, true));
        return UCharacter.foldCase(skeleton, true).replace('i', 'l').replace("vv", "w").replace('-', '_');
    }

    /** Digits and letter pairs folded to the letters they imitate: for comparing with reserved names only. */
    public static String leet(String name) {
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
