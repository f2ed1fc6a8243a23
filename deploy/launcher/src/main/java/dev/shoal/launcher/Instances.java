package dev.shoal.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Where each service runs and from which build, kept in {@code .shoal/instances.properties}: the live instance's port
 * and build, the build a deploy replaced (what {@code ./services rollback} starts again), and a deploy under way (its
 * pid, port and build), so that rerunning an interrupted deploy finishes it instead of starting another.
 */
final class Instances {
    /** One running (or to be started) instance of a service. */
    record Instance(int port, Path build) {
        String url() {
            return "http://127.0.0.1:" + port;
        }
    }

    /**
     * A deploy started but not finished: the new instance's process, port and build, the instance it replaces (to be
     * stopped once the calls moved), and whether it is a rollback.
     */
    record Next(long pid, int port, Path build, long replaces, boolean rollback) {
        String url() {
            return new Instance(port, build).url();
        }
    }

    private final Path file;

    Instances(Path stateDir) {
        this.file = stateDir.resolve("instances.properties");
    }

    synchronized Optional<Integer> port(String service) {
        return Optional.ofNullable(load().getProperty(service + ".port")).map(Integer::parseInt);
    }

    synchronized Optional<Path> build(String service) {
        return Optional.ofNullable(load().getProperty(service + ".build")).map(Path::of);
    }

    synchronized Optional<Path> previous(String service) {
        return Optional.ofNullable(load().getProperty(service + ".previous")).map(Path::of);
    }

    synchronized Optional<Next> next(String service) {
        Properties p = load();
        String pid = p.getProperty(service + ".next.pid");
        if (pid == null) {
            return Optional.empty();
        }
        return Optional.of(new Next(Long.parseLong(pid), Integer.parseInt(p.getProperty(service + ".next.port")),
                Path.of(p.getProperty(service + ".next.build")),
                Long.parseLong(p.getProperty(service + ".next.replaces", "0")),
                Boolean.parseBoolean(p.getProperty(service + ".next.rollback"))));
    }

    /**
     * The service runs here now; the build it ran before is kept as the one to roll back to, if it differs. With
     * {@code retiring}, the old instance's pid, recorded in the same write: stopped by whoever comes next if the
     * command stops before it does.
     */
    synchronized void live(String service, Instance at, Long retiring) {
        locked(() -> {
            Properties p = load();
            if (retiring != null) { // a deploy's end: the instance it started is live, the one it replaced to be stopped
                p.setProperty(service + ".retiring.pid", String.valueOf(retiring));
                p.stringPropertyNames().stream().filter(k -> k.startsWith(service + ".next.")).forEach(p::remove);
            }
            String before = p.getProperty(service + ".build");
            if (before != null && !before.equals(at.build().toString())) {
                p.setProperty(service + ".previous", before);
            }
            p.setProperty(service + ".port", String.valueOf(at.port()));
            p.setProperty(service + ".build", at.build().toString());
            store(p);
        });
    }

    synchronized void deploying(String service, Next next) {
        locked(() -> {
            Properties p = load();
            p.setProperty(service + ".next.pid", String.valueOf(next.pid()));
            p.setProperty(service + ".next.port", String.valueOf(next.port()));
            p.setProperty(service + ".next.build", next.build().toString());
            p.setProperty(service + ".next.replaces", String.valueOf(next.replaces()));
            p.setProperty(service + ".next.rollback", String.valueOf(next.rollback()));
            store(p);
        });
    }

    /** The old instance a deploy replaced, not stopped yet. */
    synchronized Optional<Long> retiring(String service) {
        return Optional.ofNullable(load().getProperty(service + ".retiring.pid")).map(Long::parseLong);
    }

    synchronized void retired(String service) {
        locked(() -> {
            Properties p = load();
            p.remove(service + ".retiring.pid");
            store(p);
        });
    }

    /** Forgets a deploy under way (its new instance stopped before it served). */
    synchronized void deployed(String service) {
        locked(() -> {
            Properties p = load();
            p.stringPropertyNames().stream().filter(k -> k.startsWith(service + ".next.")).forEach(p::remove);
            store(p);
        });
    }

    /**
     * After {@code ./services down}: every service starts on its configured port again, with the working tree's
     * build (the builds run before stay recorded, as the ones to roll back to).
     */
    synchronized void forgetPorts() {
        locked(() -> {
            Properties p = load();
            p.stringPropertyNames().stream().filter(k -> k.endsWith(".port") || k.contains(".next.")).forEach(p::remove);
            store(p);
        });
    }

    /**
     * Every change is load, change, store under an exclusive lock on a file beside the state, so two launchers (an
     * {@code up} while a deploy runs) never lose each other's writes.
     */
    private <T> T locked(java.util.function.Supplier<T> body) {
        try {
            Files.createDirectories(file.getParent());
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(
                    file.resolveSibling("instances.lock"), java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE); java.nio.channels.FileLock ignored = ch.lock()) {
                return body.get();
            }
        } catch (IOException e) {
            throw new LaunchException("cannot lock " + file, e);
        }
    }

    private void locked(Runnable body) {
        locked(() -> {
            body.run();
            return null;
        });
    }

    private Properties load() {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            } catch (IOException e) {
                throw new LaunchException("cannot read " + file, e);
            }
        }
        return p;
    }

    private void store(Properties p) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, "where ./services runs each service, and from which build");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new LaunchException("cannot write " + file, e);
        }
    }
}
