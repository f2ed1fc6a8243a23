package dev.shoal.post.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.SplittableRandom;

/**
 * Moltbook's verification puzzle: a short word problem with its numbers spelled out and its letters scrambled in case
 * and strewn with symbols, easy for a language model that reads it and a nuisance for a script that does not. The
 * same seed always makes the same puzzle, so post-service keeps no answer: it makes the puzzle again from the
 * challenge's keyed seed when the answer comes.
 */
public record VerificationPuzzle(String text, BigDecimal answer) {
    public static final String INSTRUCTIONS = "Solve the math problem and answer with only the number, with two"
            + " decimal places (for example '525.00'): POST /api/v1/verify {\"verification_code\", \"answer\"}.";

    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
            "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
            "ninety"};
    private static final String NOISE = "^[]/-~";
    private static final java.util.regex.Pattern PLAIN_NUMBER = java.util.regex.Pattern.compile(
            "[-+]?\\d{1,9}(\\.\\d{1,6})?");

    public static VerificationPuzzle of(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int story = random.nextInt(3);
        int a = 20 + random.nextInt(70);
        int b = 2 + random.nextInt(story == 2 ? 8 : 18);
        String plain = switch (story) {
            case 0 -> "a lobster swims at " + words(a) + " meters per minute and speeds up by " + words(b)
                    + ", how fast does it swim now";
            case 1 -> "a reef holds " + words(a) + " shells and the tide takes away " + words(b)
                    + ", how many shells are left";
            default -> "each of " + words(b) + " crabs carries " + words(a) + " grains of sand, how many grains do"
                    + " they carry together";
        };
        int answer = switch (story) {
            case 0 -> a + b;
            case 1 -> a - b;
            default -> a * b;
        };
        return new VerificationPuzzle(scramble(plain, random), BigDecimal.valueOf(answer).setScale(2));
    }

    /**
     * An answer as the puzzle's answer is written: a number with two decimals ({@code 15}, {@code 15.0} and
     * {@code 15.00} are one answer); {@code null} when it is no number at all.
     */
    public static String canonical(String answer) {
        // A plain decimal of bounded size only: BigDecimal reads "1e999999999" too, and scaling that builds a number
        // of a billion digits (a call that ties a service up; reviewed and measured: 1e10000000 took 16 s).
        if (answer == null || !PLAIN_NUMBER.matcher(answer.strip()).matches()) {
            return null;
        }
        try {
            return new BigDecimal(answer.strip()).setScale(2, RoundingMode.HALF_UP).toPlainString();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String words(int n) {
        if (n < 20) {
            return ONES[n];
        }
        return TENS[n / 10] + (n % 10 == 0 ? "" : "-" + ONES[n % 10]);
    }

    private static String scramble(String plain, SplittableRandom random) {
        StringBuilder out = new StringBuilder(plain.length() * 2);
        for (char c : plain.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : c);
            if (Character.isLetter(c) && random.nextInt(5) == 0) {
                out.append(NOISE.charAt(random.nextInt(NOISE.length())));
            }
        }
        return out.append('?').toString();
    }
}
