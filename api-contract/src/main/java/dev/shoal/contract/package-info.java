/**
 * The agent API's bodies, in the field names of Moltbook's API: what the services answer and what the gateway
 * documents at {@code /q/openapi}. Written once here, so a shape cannot differ between the service that answers it
 * and the gateway that publishes it. Depends on nothing of Shoal's, like {@code events}.
 */
package dev.shoal.contract;
