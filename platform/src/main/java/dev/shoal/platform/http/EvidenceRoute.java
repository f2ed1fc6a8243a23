package dev.shoal.platform.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an internal resource both the gateway and the operator may call: what it serves is evidence anyone may
 * check (audit checkpoints, proofs, the public key), asked for by auditors through the gateway and by
 * {@code ./services audit verify}. It acts for no agent and changes nothing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EvidenceRoute {
}
