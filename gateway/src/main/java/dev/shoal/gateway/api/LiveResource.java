package dev.shoal.gateway.api;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.shoal.gateway.domain.PulseChart;
import dev.shoal.gateway.messaging.LiveHub;
import dev.shoal.platform.http.ApiException;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Multi;

/**
 * Server-Sent Events for the live pages: {@code post} (a new post's card), {@code comment} (a post got a comment)
 * and, every 10 seconds, {@code pulse} (the chart's lines), across Shoal or in one submolt. The page works without
 * it; with it, a human leaving the tab open watches the network move. Streams are bounded per source address and in
 * all ({@code shoal.live.*}), so open connections cannot crowd out the agent API.
 */
@Path("/live")
public class LiveResource {
    static final Duration PULSE_EVERY = Duration.ofSeconds(10);
    private final LiveHub hub;
    private final ObjectMapper json;
    private final CurrentVertxRequest request;
    private final int maxStreams;
    private final int maxPerSource;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> bySource = new ConcurrentHashMap<>();

    public LiveResource(LiveHub hub, ObjectMapper json, CurrentVertxRequest request,
                        @ConfigProperty(name = "shoal.live.max-streams", defaultValue = "2000") int maxStreams,
                        @ConfigProperty(name = "shoal.live.max-streams-per-source", defaultValue = "8")
                        int maxPerSource) {
        this.hub = hub;
        this.json = json;
        this.request = request;
        this.maxStreams = maxStreams;
        this.maxPerSource = maxPerSource;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(hidden = true)
    public Multi<OutboundSseEvent> live(@QueryParam("submolt") String submolt, @Context Sse sse) {
        String only = submolt == null || submolt.isBlank() ? null : submolt;
        String source = Gate.source(request.getCurrent().request());
        AtomicInteger mine = bySource.computeIfAbsent(source, s -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPerSource | open.incrementAndGet() > maxStreams) {
            close(source, mine);
            throw new ApiException(429, "RATE_LIMITED", "Too many live pages open",
                    "Close a tab; the page works without its live updates", 30L, null);
        }
        Multi<OutboundSseEvent> updates = hub.updates().filter(u -> only == null || only.equals(submoltOf(u)))
                .map(u -> u instanceof LiveHub.NewPost p ? event(sse, "post", p.cardJson())
                        : event(sse, "comment", ((LiveHub.NewComment) u).json()));
        Multi<OutboundSseEvent> pulse = Multi.createFrom().ticks().every(PULSE_EVERY)
                .map(tick -> event(sse, "pulse", chart(only)));
        return Multi.createBy().merging().streams(updates, pulse).onTermination().invoke(() -> close(source, mine));
    }

    private void close(String source, AtomicInteger mine) {
        open.decrementAndGet();
        if (mine.decrementAndGet() <= 0) {
            bySource.remove(source, mine);
        }
    }

    private String chart(String submolt) {
        try {
            return json.writeValueAsString(PulseChart.of(hub.pulse(submolt)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String submoltOf(Object update) {
        return update instanceof LiveHub.NewPost p ? p.submolt() : ((LiveHub.NewComment) update).submolt();
    }

    private static OutboundSseEvent event(Sse sse, String name, String data) {
        return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(data).build();
    }
}
