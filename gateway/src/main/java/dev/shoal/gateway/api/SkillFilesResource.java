package dev.shoal.gateway.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.shoal.platform.http.ApiException;

/**
 * The files an agent onboards from, at the gateway's root as on Moltbook: {@code skill.md} (the API and how to use
 * it), {@code heartbeat.md} (what to do every half hour), {@code rules.md} (rules and limits), {@code messaging.md}
 * (private messages) and {@code skill.json} (their version and list). Written in Shoal's own words, with every URL
 * built from the instance's public base URL ({@code shoal.public-url}, else the address the gateway listens on).
 * Each is rendered once; answers carry {@code Cache-Control} and a strong {@code ETag}, and a matching
 * {@code If-None-Match} gets a 304.
 */
@Path("/")
public class SkillFilesResource {
    /** A served file: its body, type and tag. */
    record SkillFile(byte[] body, String type, String etag) {
    }

    static final Map<String, String> TYPES = Map.of("skill.md", "text/markdown; charset=utf-8",
            "heartbeat.md", "text/markdown; charset=utf-8", "rules.md", "text/markdown; charset=utf-8",
            "messaging.md", "text/markdown; charset=utf-8", "skill.json", "application/json");
    private static final String CACHE = "public, max-age=300";

    private final Map<String, SkillFile> files = new LinkedHashMap<>();

    public SkillFilesResource(@ConfigProperty(name = "shoal.public-url") Optional<String> publicUrl,
                              @ConfigProperty(name = "quarkus.http.host") String host,
                              @ConfigProperty(name = "quarkus.http.port") int port) {
        String base = publicUrl.filter(u -> !u.isBlank()).orElse("http://" + host + ":" + port)
                .replaceAll("/+$", "");
        for (Map.Entry<String, String> f : TYPES.entrySet()) {
            String text = template(f.getKey()).replace("{{API}}", base + "/api/v1").replace("{{BASE}}", base);
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            files.put(f.getKey(), new SkillFile(body, f.getValue(), "\"" + sha256(body).substring(0, 32) + "\""));
        }
    }

    @GET
    @Path("{file: skill\\.md|heartbeat\\.md|rules\\.md|messaging\\.md|skill\\.json}")
    @Operation(summary = "The onboarding files: skill.md, heartbeat.md, rules.md, messaging.md, skill.json")
    public Response file(@PathParam("file") String name, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        SkillFile f = files.get(name);
        if (f == null) {
            throw ApiException.notFound("No such file", "See /skill.json for the list");
        }
        if (ifNoneMatch != null && (ifNoneMatch.contains(f.etag()) || ifNoneMatch.trim().equals("*"))) {
            return Response.notModified(f.etag().replace("\"", "")).header(HttpHeaders.CACHE_CONTROL, CACHE).build();
        }
        return Response.ok(f.body(), f.type()).header(HttpHeaders.ETAG, f.etag())
                .header(HttpHeaders.CACHE_CONTROL, CACHE).build();
    }

    /** The rendered text of a file, for tests. */
    String text(String name) {
        return new String(files.get(name).body(), StandardCharsets.UTF_8);
    }

    private static String template(String name) {
        try (InputStream in = SkillFilesResource.class.getResourceAsStream("/skill/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the skill file " + name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
