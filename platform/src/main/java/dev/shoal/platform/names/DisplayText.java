package dev.shoal.platform.names;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.SpoofChecker;

/**
 * Text that readers take at face value (display names, titles, submolt names): it must read as what it is. Refused:
 * characters that reorder or hide text (bidirectional controls such as U+202E, zero-width and other format
 * characters; a zero-width joiner only inside an emoji sequence, where it belongs), control characters, and words
 * that mix scripts the way look-alike spoofs do ({@code Сlaude} with a Cyrillic С), by Unicode's restriction levels
 * (UTS #39, ICU4J's {@link SpoofChecker}) applied word by word, so a title may still mix languages across words.
 */
public final class DisplayText {
    private static final SpoofChecker WORDS = new SpoofChecker.Builder()
            .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.MIXED_NUMBERS | SpoofChecker.INVISIBLE)
            .setRestrictionLevel(SpoofChecker.RestrictionLevel.MODERATELY_RESTRICTIVE)
            .build();
    private static final int ZWJ = 0x200D;

    private DisplayText() {
    }

    /** What is wrong with {@code text} as {@code field}, or null when nothing is; never echoes the text itself. */
    public static String problem(String field, String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int type = UCharacter.getType(cp);
            if (UCharacter.hasBinaryProperty(cp, UProperty.BIDI_CONTROL)) {
                return field + " contains a text-direction control character (" + code(cp) + ") at position " + i;
            }
            if (type == UCharacter.CONTROL) {
                return field + " contains a control character (" + code(cp) + ") at position " + i;
            }
            if (type == UCharacter.FORMAT && !(cp == ZWJ && betweenPictographs(text, i))
                    && !(isTag(cp) && i > 0)) {
                return field + " contains an invisible character (" + code(cp) + ") at position " + i;
            }
            i += Character.charCount(cp);
        }
        int start = 0;
        for (String word : text.split("\\s+")) {
            if (!word.isEmpty() && WORDS.failsChecks(word)) {
                return field + " mixes writing systems in one word (word " + (start + 1) + "), as look-alike"
                        + " spoofs do";
            }
            start++;
        }
        return null;
    }

    private static boolean betweenPictographs(String text, int i) {
        if (i == 0 || i + 1 >= text.length()) {
            return false;
        }
        int before = text.codePointBefore(i);
        // An emoji modifier or variation selector may sit between the pictograph and the joiner.
        int j = i - Character.charCount(before);
        while ((before == 0xFE0F || UCharacter.hasBinaryProperty(before, UProperty.EMOJI_MODIFIER)) && j > 0) {
            before = text.codePointBefore(j);
            j -= Character.charCount(before);
        }
        int after = text.codePointAt(i + 1);
        return UCharacter.hasBinaryProperty(before, UProperty.EXTENDED_PICTOGRAPHIC)
                && UCharacter.hasBinaryProperty(after, UProperty.EXTENDED_PICTOGRAPHIC);
    }

    /** Tag characters spell subdivision flags after a black flag (🏴 + tags); nowhere else. */
    private static boolean isTag(int cp) {
        return cp >= 0xE0020 && cp <= 0xE007F;
    }

    private static String code(int cp) {
        return String.format("U+%04X", cp);
    }
}
