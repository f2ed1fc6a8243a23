package dev.shoal.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PostgreSQL from the system's binaries, run by {@code pg_ctl} on loopback only. As root it runs as the
 * {@code postgres} user (PostgreSQL refuses to run as root). Superuser access is by password over TCP or by the
 * socket inside the data directory, which only that user can reach.
 */
public final class Postgres {
    private static final Pattern IDENT = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    private final Path dataDir;
    private final int port;
    private final String superuserPassword;
    private final boolean durable;

    /** @param durable false only for throw-away test clusters, which skip fsync */
    public Postgres(Path dataDir, int port, String superuserPassword, boolean durable) {
        this.dataDir = dataDir;
        this.port = port;
        this.superuserPassword = superuserPassword;
        this.durable = durable;
    }

    public int port() {
        return port;
    }

    /** The URL of Vert.x's reactive client (Hibernate Reactive's datasource). */
    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public boolean running() {
        return Files.exists(dataDir.resolve("postmaster.pid")) && Ports.inUse(port);
    }

    /** Initialises the cluster on first use and starts it; returns once it accepts connections. */
    public void start(Path log) {
        if (running()) {
            return;
        }
        Ports.requireFree(port, "PostgreSQL", "SHOAL_POSTGRES_PORT");
        Path bin = binDir();
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(log.getParent());
            if (!Files.exists(log)) {
                Files.createFile(log);
            }
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
                Path pwfile = dataDir.resolveSibling(dataDir.getFileName() + ".pw");
                Files.writeString(pwfile, superuserPassword + "\n");
                handToPostgres(pwfile);
                handToPostgres(dataDir);
                try {
                    Processes.run(asPostgres(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(),
                            "-U", "postgres", "--pwfile=" + pwfile, "--auth-local=trust",
                            "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C")), Duration.ofMinutes(3));
                } finally {
                    Files.deleteIfExists(pwfile);
                }
            }
            handToPostgres(log);
        } catch (IOException e) {
            throw new LaunchException("cannot prepare PostgreSQL's data directory " + dataDir + ": " + e.getMessage(), e);
        }
        String options = "-c listen_addresses=127.0.0.1 -c port=" + port
                + " -c unix_socket_directories=" + dataDir + " -c max_connections=200"
                + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
                // more server settings for one run (the benchmarks load pg_stat_statements this way)
                + System.getProperty("shoal.postgres.options", "").transform(o -> o.isBlank() ? "" : " " + o.trim());
        Processes.run(asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-l",
                log.toString(), "-w", "-t", "120", "-o", options, "start")), Duration.ofMinutes(3));
    }

    public void stop() {
        if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
            return;
        }
        Processes.run(asPostgres(List.of(binDir().resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "-m", "fast", "-w", "-t", "60", "stop")), Duration.ofMinutes(2));
    }

    /** Creates a login role and a database it owns, unless they exist; nobody else may connect to it. */
    public void ensureDatabase(String database, String role, String password) {
        requireIdent(database);
        requireIdent(role);
        try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            } else {
                st.execute("ALTER ROLE " + role + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                st.execute("CREATE DATABASE " + database + " OWNER " + role);
                st.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
            }
        } catch (SQLException e) {
            throw new LaunchException("cannot create database " + database + ": " + e.getMessage(), e);
        }
        try (Connection c = superuser(database); Statement st = c.createStatement()) {
            st.execute("ALTER SCHEMA public OWNER TO " + role);
        } catch (SQLException e) {
            throw new LaunchException("cannot give " + role + " its schema: " + e.getMessage(), e);
        }
    }

    /** Drops a database and everything in it, closing the connections still open to it. */
    public void dropDatabase(String database) {
        requireIdent(database);
        try (Connection c = superuser("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new LaunchException("cannot drop database " + database + ": " + e.getMessage(), e);
        }
    }

    public Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", superuserPassword);
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void requireIdent(String s) {
        if (!IDENT.matcher(s).matches()) {
            throw new IllegalArgumentException("not a safe SQL identifier: " + s);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(List<String> cmd) {
        if (!isRoot()) {
            return cmd;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(cmd);
        return out;
    }

    private static void handToPostgres(Path p) {
        if (isRoot()) {
            Processes.run(List.of("chown", "-R", "postgres:postgres", p.toString()), Duration.ofMinutes(1));
        }
    }

    /** The newest installed PostgreSQL's binaries; installs the system package first where there is none. */
    static synchronized Path binDir() {
        Path found = findBinDir();
        if (found != null) {
            return found;
        }
        if (!isRoot()) {
            throw new LaunchException("PostgreSQL is not installed; run: sudo apt-get install -y postgresql");
        }
        try {
            Processes.run(List.of("apt-get", "install", "-y", "postgresql"), Duration.ofMinutes(10));
        } catch (LaunchException first) {
            Processes.run(List.of("apt-get", "update"), Duration.ofMinutes(10));
            Processes.run(List.of("apt-get", "install", "-y", "postgresql"), Duration.ofMinutes(10));
        }
        found = findBinDir();
        if (found == null) {
            throw new LaunchException("PostgreSQL's binaries are still missing under /usr/lib/postgresql");
        }
        return found;
    }

    private static Path findBinDir() {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int versionOf(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
