package dev.shoal.identity.keys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.crypto.SecretKey;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.shoal.events.SealedText;
import dev.shoal.platform.crypto.Aead;
import dev.shoal.platform.crypto.KeyEncryptionKey;
import dev.shoal.platform.crypto.LocalKeyFile;

/**
 * The data keys ({@code data_key}): one per agent and conversation, made on first use, stored wrapped by the
 * key-encryption key, which is in neither the database nor the log. A text is sealed under its sender's key with the
 * ids of where it belongs as associated data; opening it needs that key, so destroying a key erases what it sealed
 * from the tables, the log and every rebuild alike. Unwrapped keys are cached (bounded) for the hot path.
 *
 * <p>The vault is not written through the event writer on purpose: a key must never reach the log. A key made for a
 * request that is then refused stays unused (one per agent and conversation at most).
 */
@Startup
@ApplicationScoped
public class DataKeyVault {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DataKeyVault.class);
    /** How long a replica keeps an unwrapped key: an erasure on another replica reaches this one within it. */
    public static final Duration CACHE_TTL = Duration.ofMinutes(1);

    /** What a text reads as once the key that sealed it was destroyed (or never existed here). */
    public static final String ERASED = "[erased]";

    private final Pool pool;
    private final Path kekFile;
    /** The key file as last read: a rotation here, or seen from another replica, reads it again. */
    private volatile LocalKeyFile kek;
    private volatile java.nio.file.attribute.FileTime kekModified;
    private final java.util.concurrent.atomic.AtomicBoolean rotating = new java.util.concurrent.atomic.AtomicBoolean();
    private final Cache<UUID, SecretKey> keys;
    private final Cache<Scope, UUID> keyIds;

    private record Scope(UUID agentId, UUID scopeId) {
    }

    /** A data key ready to seal with. */
    public record DataKey(UUID id, SecretKey key) {
    }

    public DataKeyVault(Pool pool, DataSource jdbc, @ConfigProperty(name = "shoal.keys.kek-file") Path kekFile,
                        @ConfigProperty(name = "shoal.keys.cache-size", defaultValue = "100000") long cacheSize) {
        this.pool = pool;
        this.kekFile = kekFile;
        try {
            this.kek = LocalKeyFile.open(kekFile, nothingWrapped(jdbc));
            this.kekModified = java.nio.file.Files.getLastModifiedTime(kekFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.keys = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(CACHE_TTL).build();
        this.keyIds = Caffeine.newBuilder().maximumSize(cacheSize).expireAfterWrite(CACHE_TTL).build();
    }

    /** A missing key file may be made only while no data key was ever wrapped, so none can become unreadable. */
    private static boolean nothingWrapped(DataSource jdbc) {
        try (Connection c = jdbc.getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT NOT EXISTS (SELECT 1 FROM data_key)")) {
            r.next();
            return r.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the data keys' table", e);
        }
    }

    /** The agent's key for {@code scopeId} (a conversation), made and stored the first time it is asked for. */
    public Uni<DataKey> sealingKey(UUID agentId, UUID scopeId) {
        Scope scope = new Scope(agentId, scopeId);
        UUID cachedId = keyIds.getIfPresent(scope);
        SecretKey cached = cachedId == null ? null : keys.getIfPresent(cachedId);
        if (cached != null) {
            return Uni.createFrom().item(new DataKey(cachedId, cached));
        }
        return find(scope).chain(found -> found.isPresent() ? Uni.createFrom().item(found.get()) : create(scope))
                .invoke(k -> {
                    keys.put(k.id(), k.key());
                    keyIds.put(scope, k.id());
                });
    }

    private Uni<Optional<DataKey>> find(Scope scope) {
        return pool.preparedQuery("SELECT id, kek_id, wrapped, agent_id, scope_id FROM data_key"
                        + " WHERE agent_id = $1 AND scope_id = $2")
                .execute(Tuple.of(scope.agentId(), scope.scopeId()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<DataKey>empty();
                    }
                    // destroyed: the agent was erased meanwhile, and is nobody now
                    return Optional.of(unwrapped(rows.iterator().next()).orElseThrow(
                            () -> dev.shoal.identity.domain.AgentDecider.UNKNOWN_AGENT.asException()));
                });
    }

    private Uni<DataKey> create(Scope scope) {
        UUID id = UUID.randomUUID();
        SecretKey key = Aead.newKey();
        // Wrapped by the file's current key, even if another replica rotated it a moment ago.
        KeyEncryptionKey.Wrapped wrapped = currentKeys().wrap(key.getEncoded(),
                context(id, scope.agentId(), scope.scopeId()));
        // Two first uses at once: one insert wins, and both use the key that won. An erased agent gets none.
        return pool.preparedQuery("INSERT INTO data_key (id, agent_id, scope_id, kek_id, wrapped, created_at)"
                        + " SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS"
                        + " (SELECT 1 FROM agent WHERE id = $2 AND status = 'erased')"
                        + " ON CONFLICT (agent_id, scope_id) DO NOTHING")
                .execute(Tuple.tuple(List.of(id, scope.agentId(), scope.scopeId(), wrapped.kekId(),
                        io.vertx.core.buffer.Buffer.buffer(wrapped.bytes()),
                        OffsetDateTime.now(ZoneOffset.UTC))))
                .chain(inserted -> inserted.rowCount() == 1 ? Uni.createFrom().item(new DataKey(id, key))
                        : find(scope).map(found -> found.orElseThrow(
                        () -> dev.shoal.identity.domain.AgentDecider.UNKNOWN_AGENT.asException())));
    }

    /** The key file as it is now: read again when it changed on disk (a rotation, here or on another replica). */
    private LocalKeyFile currentKeys() {
        try {
            java.nio.file.attribute.FileTime modified = java.nio.file.Files.getLastModifiedTime(kekFile);
            if (!modified.equals(kekModified)) {
                kek = LocalKeyFile.open(kekFile, false);
                kekModified = modified;
            }
            return kek;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * After an erasure committed: destroys again any key of the agent made while it was being erased (a first use
     * that raced it), so nothing it sealed stays openable.
     */
    public Uni<Void> sweep(UUID agentId) {
        forget(agentId);
        return pool.preparedQuery(DESTROY).execute(Tuple.of(agentId, OffsetDateTime.now(ZoneOffset.UTC)))
                .replaceWithVoid();
    }

    /** Destroys agent {@code $1}'s keys at time {@code $2}: what erasure does, in its transaction or after it. */
    private static final String DESTROY = "UPDATE data_key SET wrapped = NULL, kek_id = NULL, destroyed_at = $2"
            + " WHERE agent_id = $1 AND wrapped IS NOT NULL";

    /**
     * Destroys every data key of the agent, in the writer's transaction (the erasure's {@code evolve}, so a restore
     * from the log destroys them again): the wrapped bytes are overwritten with nothing, and whatever they sealed,
     * wherever it is stored, cannot be opened any more. Every replica forgets its cached copies within
     * {@link #CACHE_TTL}; this one at once ({@link #forget}).
     */
    public static Uni<Void> destroyAll(UUID agentId, java.time.Instant at) {
        return io.quarkus.hibernate.reactive.panache.Panache.getSession().chain(session -> session.createNativeQuery(
                        DESTROY.replace("$1", ":agent").replace("$2", ":at"))
                .setParameter("at", java.time.OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .setParameter("agent", agentId).executeUpdate()).replaceWithVoid();
    }

    /** Drops this replica's cached keys (after an erasure committed): they reload from {@code data_key} on use. */
    public void forget(UUID agentId) {
        keyIds.asMap().keySet().removeIf(scope -> scope.agentId().equals(agentId));
        keys.invalidateAll();
    }

    /** Texts are padded to a multiple of this many bytes before sealing: a ciphertext shows the length only to it. */
    static final int PADDING = 256;

    /** Seals {@code text} under {@code key}, bound to {@code where} (the ids it belongs to), padded. */
    public static SealedText seal(DataKey key, String text, String where) {
        Aead.Sealed sealed = Aead.seal(key.key(), Aead.pad(text.getBytes(StandardCharsets.UTF_8), PADDING),
                where.getBytes(StandardCharsets.UTF_8));
        Base64.Encoder b64 = Base64.getEncoder();
        return new SealedText(key.id(), b64.encodeToString(sealed.nonce()), b64.encodeToString(sealed.ciphertext()));
    }

    /**
     * Opens texts sealed here, each with the place it was sealed for; a text whose key was destroyed reads as
     * {@link #ERASED}. Answers them in the order given.
     */
    public Uni<List<String>> open(List<SealedText> texts, List<String> wheres) {
        Set<UUID> ids = new java.util.HashSet<>();
        for (SealedText t : texts) {
            if (t != null && keys.getIfPresent(t.keyId()) == null) {
                ids.add(t.keyId());
            }
        }
        Uni<Map<UUID, SecretKey>> loaded = ids.isEmpty() ? Uni.createFrom().item(Map.of())
                : pool.preparedQuery("SELECT id, kek_id, wrapped, agent_id, scope_id FROM data_key WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new))).map(this::unwrapAll);
        return loaded.map(fresh -> {
            List<String> plain = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                SealedText t = texts.get(i);
                if (t == null) {
                    plain.add(ERASED); // the tables say its key is destroyed: whatever a cache still holds
                    continue;
                }
                SecretKey key = fresh.containsKey(t.keyId()) ? fresh.get(t.keyId()) : keys.getIfPresent(t.keyId());
                plain.add(key == null ? ERASED : opened(key, t, wheres.get(i)));
            }
            return plain;
        });
    }

    /** What a text reads as when it does not open where it is stored (moved or altered): it is not shown. */
    public static final String UNREADABLE = "[unreadable]";

    private static String opened(SecretKey key, SealedText t, String where) {
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return new String(Aead.unpad(Aead.open(key, new Aead.Sealed(b64.decode(t.nonce()),
                    b64.decode(t.ciphertext())), where.getBytes(StandardCharsets.UTF_8))), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            LOG.errorf("the text sealed for %s under key %s does not open there: it is shown as %s", where,
                    t.keyId(), UNREADABLE);
            return UNREADABLE;
        }
    }

    private Map<UUID, SecretKey> unwrapAll(RowSet<Row> rows) {
        Map<UUID, SecretKey> found = new HashMap<>();
        for (Row row : rows) {
            unwrapped(row).ifPresent(k -> {
                found.put(k.id(), k.key());
                keys.put(k.id(), k.key());
            });
        }
        return found;
    }

    /** The row's key, unwrapped; empty when it was destroyed. */
    private Optional<DataKey> unwrapped(Row row) {
        UUID id = row.getUUID("id");
        io.vertx.mutiny.core.buffer.Buffer wrapped = row.getBuffer("wrapped");
        if (wrapped == null) {
            return Optional.empty();
        }
        KeyEncryptionKey.Wrapped stored = new KeyEncryptionKey.Wrapped(row.getString("kek_id"), wrapped.getBytes());
        byte[] context = context(id, row.getUUID("agent_id"), row.getUUID("scope_id"));
        try {
            return Optional.of(new DataKey(id, Aead.key(unwrap(stored, context))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the data key " + id + " does not unwrap with the key-encryption key "
                    + stored.kekId(), e);
        }
    }

    /** Unwraps with the keys as read; a key id this replica does not know (another one rotated) reads the file again. */
    private byte[] unwrap(KeyEncryptionKey.Wrapped stored, byte[] context) throws GeneralSecurityException {
        LocalKeyFile keys = kek;
        if (!keys.ids().contains(stored.kekId())) {
            try {
                keys = LocalKeyFile.open(kekFile, false);
                kek = keys;
            } catch (IOException e) {
                throw new GeneralSecurityException("the key-encryption key file cannot be read again", e);
            }
        }
        return keys.unwrap(stored, context);
    }

    /** What a rotation did: the key that wraps every data key now, how many it wrapped again, the keys retired. */
    public record Rotation(String kekId, long rewrapped, java.util.Set<String> retired) {
    }

    /**
     * Rotates the key-encryption key without stopping anything: a new key goes last in the file and wraps from now
     * on; every data key wrapped by an older one is unwrapped and wrapped again, 500 a transaction (rows locked, so
     * an erasure meanwhile waits or is waited for, and wins); then the older keys leave the file. Reads go on
     * throughout, since each row names the key that wrapped it and both are in the file until the end. (With a KMS,
     * its own key rotation takes the place of the file's first and last step.)
     */
    public Uni<Rotation> rotate() {
        if (!rotating.compareAndSet(false, true)) {
            return Uni.createFrom().failure(dev.shoal.platform.http.ApiException.conflict(
                    "A rotation is running", "Wait for it to end"));
        }
        java.util.Set<String> before = kek.ids();
        return Uni.createFrom().item(() -> {
                    try {
                        kek = LocalKeyFile.addKey(kekFile);
                        kekModified = java.nio.file.Files.getLastModifiedTime(kekFile);
                        return kek.currentId();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                // a first use that wrapped by the old key just before the file changed has time to insert
                .onItem().delayIt().by(ROTATION_GRACE)
                .chain(current -> rewrapAll(current, 0).chain(n -> Uni.createFrom().item(() -> {
                    try {
                        kek = kek.retireAllButCurrent(kekFile);
                        kekModified = java.nio.file.Files.getLastModifiedTime(kekFile);
                        return new Rotation(current, n, before);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())))
                .eventually(() -> rotating.set(false));
    }

    /** How long a rotation waits after adding its key before it wraps again what the old one wrapped. */
    static final Duration ROTATION_GRACE = Duration.ofSeconds(2);

    /**
     * Wraps again, batch by batch, until a count that skips no locked row finds nothing wrapped by an older key
     * (rows another transaction held are waited for, not skipped): only then may the older keys leave the file.
     */
    private Uni<Long> rewrapAll(String current, long done) {
        return rewrapBatch(current).chain(n -> n > 0 ? rewrapAll(current, done + n)
                : pool.preparedQuery("SELECT count(*) FROM data_key WHERE wrapped IS NOT NULL AND kek_id <> $1")
                .execute(Tuple.of(current)).chain(rows -> rows.iterator().next().getLong(0) == 0
                        ? Uni.createFrom().item(done)
                        : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(200))
                        .chain(() -> rewrapAll(current, done))));
    }

    private Uni<Integer> rewrapBatch(String current) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT id, kek_id, wrapped, agent_id, scope_id"
                        + " FROM data_key WHERE wrapped IS NOT NULL AND kek_id <> $1 LIMIT 500 FOR UPDATE SKIP LOCKED")
                .execute(Tuple.of(current)).chain(rows -> {
                    List<Tuple> updates = new ArrayList<>();
                    for (Row row : rows) {
                        DataKey key = unwrapped(row).orElseThrow(); // only rows still wrapped were selected
                        KeyEncryptionKey.Wrapped again = kek.wrap(key.key().getEncoded(),
                                context(key.id(), row.getUUID("agent_id"), row.getUUID("scope_id")));
                        updates.add(Tuple.of(again.kekId(), io.vertx.core.buffer.Buffer.buffer(again.bytes()), key.id()));
                    }
                    return updates.isEmpty() ? Uni.createFrom().item(0)
                            : conn.preparedQuery("UPDATE data_key SET kek_id = $1, wrapped = $2 WHERE id = $3")
                            .executeBatch(updates).map(done -> updates.size());
                }));
    }

    /** What a wrapped key is bound to: its id, its agent and its scope (a key moved to another row does not open). */
    private static byte[] context(UUID id, UUID agentId, UUID scopeId) {
        return ("shoal.data-key:" + id + ":" + agentId + ":" + scopeId).getBytes(StandardCharsets.US_ASCII);
    }
}
