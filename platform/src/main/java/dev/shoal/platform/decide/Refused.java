package dev.shoal.platform.decide;

/** A {@link Refusal} travelling as an exception: thrown by rules, failed into a writer's result, mapped at the edge. */
public final class Refused extends RuntimeException {
    private final Refusal refusal;

    public Refused(Refusal refusal) {
        super(refusal.message(), null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
