package dev.shoal.gateway.api;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What a service answered a page of the gateway's own: its status and body, read as the page needs it. */
record ServiceAnswer(int status, byte[] body, ObjectMapper json) {
    /** The service's answer as {@link ServiceClient} gives it: its bytes, or the gateway's own error when none came. */
    static ServiceAnswer of(jakarta.ws.rs.core.Response r, ObjectMapper json) {
        Object entity = r.getEntity();
        try {
            byte[] body = entity == null ? new byte[0] : entity instanceof byte[] b ? b : json.writeValueAsBytes(entity);
            return new ServiceAnswer(r.getStatus(), body, json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    <T> T as(Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalStateException("a service answered what the gateway cannot read", e);
        }
    }

    /** A top-level text field of the body (an error's {@code error}, {@code hint}, {@code code}), or null. */
    String field(String name) {
        try {
            JsonNode node = body == null || body.length == 0 ? null : json.readTree(body).get(name);
            return node == null || node.isNull() ? null : node.asText();
        } catch (IOException e) {
            return null;
        }
    }
}
