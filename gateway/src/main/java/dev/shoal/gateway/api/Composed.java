package dev.shoal.gateway.api;

import java.io.IOException;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Answers no one service has whole: one service's JSON with a field another service answered. The part's failure
 * does not fail the whole; its field reads {@code null} then.
 */
final class Composed {
    private Composed() {
    }

    /**
     * {@code whole} with {@code field} of the object at {@code at} (a JSON pointer, {@code ""} for the root) set to
     * {@code part}'s JSON when {@code part} answered 200, to {@code null} otherwise. An answer that is not a 200 with
     * such an object is {@code whole} as it came.
     */
    static Response with(ObjectMapper json, Response whole, String at, String field, Response part) {
        if (whole.getStatus() != 200) {
            return whole;
        }
        byte[] merged = with(json, (byte[]) whole.getEntity(), at, field,
                part.getStatus() == 200 ? (byte[]) part.getEntity() : null);
        return Response.fromResponse(whole).entity(merged).build();
    }

    /** {@link #with(ObjectMapper, Response, String, String, Response)} on bodies: {@code part} null sets null. */
    static byte[] with(ObjectMapper json, byte[] whole, String at, String field, byte[] part) {
        try {
            JsonNode root = json.readTree(whole);
            if (!(root.at(at) instanceof ObjectNode object)) {
                return whole;
            }
            object.set(field, part == null ? json.nullNode() : json.readTree(part));
            return json.writeValueAsBytes(root);
        } catch (IOException | ClassCastException e) {
            return whole;
        }
    }
}
