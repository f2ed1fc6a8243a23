package dev.shoal.platform.http;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an internal resource that only the operator ({@code ./services}) may call: projections, restores, routes.
 * Every other internal resource acts for agents and only the gateway may call it ({@link InternalCaller}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OperatorRoute {
}
