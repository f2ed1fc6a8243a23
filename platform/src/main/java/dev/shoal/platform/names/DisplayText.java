package dev.shoal.platform.names;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.lang.UScript;
import com.ibm.icu.text.SpoofChecker;

/**
 * Text that readers take at face value (display names, titles, submolt names): it must read as what it is. Refused:
 * characters that reorder text (bidirectional controls such as U+202E), control characters, and every character
 * Unicode says to draw as nothing (Default_Ignorable_Code_Point: zero-width spaces and joiners, word joiners, tag
 * characters that can smuggle hidden text to a reading agent, fillers, variation selectors), except where they do
 * their work: a joiner inside an emoji sequence, a variation selector after a character with emoji and text forms,
 * tag characters spelling a subdivision flag after 🏴, and the zero-width (non-)joiners that scripts such as
 * Persian and the Indic ones need between their letters. And words that mix scripts the way look-alike spoofs do
 * ({@code Сlaude} with a Cyrillic С), by Unicode's restriction levels (UTS #39, ICU4J's {@link SpoofChecker}) applied
 * word by word (words split at spaces and punctuation), so a title may still mix languages across words.
 */
public final class DisplayText {
    private static final SpoofChecker WORDS = new SpoofChecker.Builder()
            .setChecks(SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.MIXED_NUMBERS | SpoofChecker.INVISIBLE)
            .setRestrictionLevel(SpoofChecker.RestrictionLevel.MODERATELY_RESTRICTIVE)
            .build();
    private static final int ZWNJ = 0x200C;
    private static final int ZWJ = 0x200D;
    private static final int BLACK_FLAG = 0x1F3F4;
    private static final int CANCEL_TAG = 0xE007F;

    private DisplayText() {
    }

    /** What is wrong with {@code text} as {@code field}, or null when nothing is; never echoes the text itself. */
    public static String problem(String field, String text) {
        if (text == null) {
            return null;
        }
        int position = 0;
        for (int i = 0; i < text.length(); position++) {
            int cp = text.codePointAt(i);
            if (UCharacter.hasBinaryProperty(cp, UProperty.BIDI_CONTROL)) {
                return field + " contains a text-direction control character (" + code(cp) + ") at character "
                        + (position + 1);
            }
            if (UCharacter.getType(cp) == UCharacter.CONTROL) {
                return field + " contains a control character (" + code(cp) + ") at character " + (position + 1);
            }
            if ((UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)
                    || UCharacter.getType(cp) == UCharacter.FORMAT) && !doesItsWork(text, i, cp)) {
                return field + " contains an invisible character (" + code(cp) + ") at character " + (position + 1);
            }
            i += Character.charCount(cp);
        }
        int word = 0;
        for (String w : text.split("[\\s\\p{Z}\\p{P}]+")) {
            if (w.isEmpty()) {
                continue;
            }
            word++;
            if (WORDS.failsChecks(w)) {
                return field + " mixes writing systems in one word (word " + word + "), as look-alike spoofs do";
            }
        }
        return null;
    }

    /** Whether an invisible character at {@code i} is one of the few doing a job there. */
    private static boolean doesItsWork(String text, int i, int cp) {
        int before = i == 0 ? -1 : text.codePointBefore(i);
        int next = i + Character.charCount(cp);
        int after = next < text.length() ? text.codePointAt(next) : -1;
        if (cp == ZWJ && emojiBefore(text, i) && after >= 0
                && UCharacter.hasBinaryProperty(after, UProperty.EXTENDED_PICTOGRAPHIC)) {
            return true;
        }
        if ((cp == 0xFE0E || cp == 0xFE0F) && before >= 0 && UCharacter.hasBinaryProperty(before, UProperty.EMOJI)) {
            return true;
        }
        if (cp >= 0xE0020 && cp <= CANCEL_TAG) {
            return inFlagSequence(text, i);
        }
        if ((cp == ZWJ || cp == ZWNJ) && before >= 0 && after >= 0) {
            if (UCharacter.getCombiningClass(before) == 9) {
                return true; // after a virama: Indic conjunct control
            }
            int script = UScript.getScript(before);
            return script == UScript.getScript(after) && UCharacter.isLetter(before) && UCharacter.isLetter(after)
                    && script != UScript.LATIN && script != UScript.CYRILLIC && script != UScript.GREEK
                    && script != UScript.COMMON && script != UScript.INHERITED;
        }
        return false;
    }

    private static boolean emojiBefore(String text, int i) {
        int j = i;
        while (j > 0) {
            int cp = text.codePointBefore(j);
            if (cp == 0xFE0F || UCharacter.hasBinaryProperty(cp, UProperty.EMOJI_MODIFIER)) {
                j -= Character.charCount(cp);
                continue;
            }
            return UCharacter.hasBinaryProperty(cp, UProperty.EXTENDED_PICTOGRAPHIC);
        }
        return false;
    }

    /** Tag characters belong only to 🏴 + tags + cancel tag (the flags of England, Scotland, Wales). */
    private static boolean inFlagSequence(String text, int i) {
        int j = i;
        while (j > 0) {
            int cp = text.codePointBefore(j);
            if (cp >= 0xE0020 && cp < CANCEL_TAG) {
                j -= Character.charCount(cp);
                continue;
            }
            if (cp != BLACK_FLAG) {
                return false;
            }
            break;
        }
        if (j == 0) {
            return false;
        }
        int k = i;
        while (k < text.length()) {
            int cp = text.codePointAt(k);
            if (cp == CANCEL_TAG) {
                return true;
            }
            if (cp < 0xE0020 || cp > CANCEL_TAG) {
                return false;
            }
            k += Character.charCount(cp);
        }
        return false;
    }

    private static String code(int cp) {
        return String.format("U+%04X", cp);
    }
}
