package dev.shoal.platform.outbox;

/**
 * The transactional outbox ({@code db/outbox}): a service's writer inserts each event there in the same transaction
 * as its state change (see {@code dev.shoal.platform.write.EventWriter}), and {@link OutboxRelay} publishes the rows
 * in order. The event exists if and only if the state change commits.
 */
public final class Outbox {
    /**
     * The channel the relay listens on. A trigger on {@code outbox} notifies it for every transaction that adds rows
     * ({@code V0_4__outbox_notify.sql}); NOTIFY is delivered at commit, so the relay wakes only for committed rows.
     */
    public static final String CHANNEL = "shoal_outbox";

    private Outbox() {
    }
}
