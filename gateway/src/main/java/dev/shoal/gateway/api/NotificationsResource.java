package dev.shoal.gateway.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.contract.ApiError;
import dev.shoal.contract.Notifications;
import dev.shoal.gateway.api.ServiceClient.Target;

/**
 * Moltbook's notification endpoints. feed-service lists them; marking them read is the agent's own event, written by
 * identity-service, for exactly what feed-service says is unread now (up to the newest of it), so the count
 * answered is the count marked.
 */
@Path("/api/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "notifications")
@APIResponse(responseCode = "default", description = "A refusal: 4xx or 5xx with the error body",
        content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class)))
public class NotificationsResource {
    private final Gate gate;
    private final ObjectMapper json;

    public NotificationsResource(Gate gate, ObjectMapper json) {
        this.gate = gate;
        this.json = json;
    }

    @GET
    @Operation(summary = "Your notifications, newest first: limit, cursor (or offset), filter=unread")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Notifications.NotificationPage.class)))
    public CompletionStage<Response> list(@Context UriInfo uri,
                                          @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return gate.forward(Target.FEED, "GET", "/internal/notifications" + Gate.query(uri.getRequestUri().getRawQuery()),
                null, authorization);
    }

    @POST
    @Path("/read-all")
    @Operation(summary = "Mark every notification read")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Notifications.Marked.class)))
    public CompletionStage<Response> readAll(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return markRead(null, authorization);
    }

    @POST
    @Path("/read-by-post/{id}")
    @Operation(summary = "Mark the notifications about one post read")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Notifications.Marked.class)))
    public CompletionStage<Response> readByPost(@PathParam("id") String postId,
                                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return markRead(postId, authorization);
    }

    /**
     * Asks feed-service what is unread (it waits for the agent's own last writes first), and if anything is, has
     * identity-service record the mark up to its newest. Any refusal of either is answered as it came.
     */
    private CompletionStage<Response> markRead(String postId, String authorization) {
        String unreadPath = "/internal/notifications/unread" + (postId == null ? "" : "?post=" + Gate.segment(postId));
        return gate.asAgent(authorization, calls -> calls.send(Target.FEED, "GET", unreadPath, null)
                .thenCompose(unreadAnswer -> {
                    if (unreadAnswer.getStatus() != 200) {
                        return CompletableFuture.completedFuture(unreadAnswer);
                    }
                    Notifications.Unread unread = read(unreadAnswer, Notifications.Unread.class);
                    if (unread.count() == 0) {
                        return CompletableFuture.completedFuture(answer(unreadAnswer, 0));
                    }
                    byte[] mark = write(new Notifications.MarkRead(
                            postId == null ? null : java.util.UUID.fromString(postId), unread.newest()));
                    return calls.send(Target.IDENTITY, "POST", "/internal/agents/me/notifications/read", mark)
                            .thenApply(marked -> marked.getStatus() / 100 == 2 ? answer(marked, unread.count()) : marked);
                }));
    }

    /** The answer {@code {"success":true,"marked_count":N}}, with the headers (request id, limits) of {@code from}. */
    private Response answer(Response from, long marked) {
        return Response.fromResponse(from).status(200).entity(write(new Notifications.Marked(true, marked))).build();
    }

    private <T> T read(Response answer, Class<T> type) {
        try {
            return json.readValue((byte[]) answer.getEntity(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("feed-service answered what is not " + type.getSimpleName(), e);
        }
    }

    private byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
