package dev.shoal.launcher;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The local blue/green of {@code ./services deploy} and {@code ./services rollback}: a build of a service starts beside
 * the running one, on the other of its two ports, and builds whatever its code needs (a projection whose code version
 * is new is built from offset 0 in a schema of its own while the running build serves from its own); once it answers
 * ready the gateway's calls move to it, the old instance gets a moment to finish the calls it has, and is stopped.
 * Every step is recorded in {@link Instances} before the next one: a rerun after a crash (of the command or of the new
 * instance) goes on from where it stopped, and the new build's projections go on from their stored offsets, so
 * nothing is applied twice.
 */
final class Deploy {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the old instance keeps running after the gateway moved: calls sent just before the move finish. */
    private static final Duration DRAIN = Duration.ofSeconds(2);
    private static final Duration READY_WITHIN = Duration.ofMinutes(60);

    private final Stack stack;
    private final ServiceSpec s;
    private final Instances instances;

    Deploy(Stack stack, ServiceSpec s) {
        this.stack = stack;
        this.s = s;
        this.instances = stack.instances();
    }

    /**
     * @param build    the copy of the build to run ({@link Builds#copyOf})
     * @param rollback whether it is the build the last deploy replaced (only the messages differ)
     */
    void run(Path build, boolean rollback, PrintStream out) {
        String name = s.name();
        String route = route(s);
        if (!stack.infrastructureUp()) {
            throw new LaunchException("Shoal is not up: run ./services up first");
        }
        ServiceSpec gateway = stack.service(Stack.GATEWAY);
        if (!stack.ready(stack.healthUrl(gateway))) {
            throw new LaunchException("the gateway is not ready: ./services up starts it, then deploy");
        }
        Instances.Instance current = new Instances.Instance(stack.port(s), instances.build(name).orElse(null));
        boolean liveAlive = Optional.ofNullable(stack.readPids().get(name)).flatMap(pid -> Processes.ours(pid, name))
                .isPresent();
        // A deploy that moved the calls and stopped before it stopped the old instance: finish that first, if the
        // instance it moved them to runs (else the old one is all there is: left for the operator, and told).
        instances.retiring(name).ifPresent(pid -> {
            Optional<ProcessHandle> h = Processes.ours(pid, name);
            if (h.isPresent() && !liveAlive) {
                throw new LaunchException(name + ": the build a deploy moved the calls to is not running, and the"
                        + " one it replaced still is (pid " + pid + "); see ./services status and the logs");
            }
            h.ifPresent(p -> {
                out.println(pad(name) + " stopping the build a deploy replaced (pid " + pid + ")");
                Processes.stop(p, Duration.ofSeconds(30));
            });
            instances.retired(name);
        });
        // A deploy that stopped after moving the calls to an instance that then died: calls go back to the live one.
        routeBackIfDead(gateway, route, current, out);
        long started = System.nanoTime();
        Instances.Instance next = null;
        ProcessHandle process = null;
        long replaces = 0;
        Optional<Instances.Next> unfinished = instances.next(name);
        if (unfinished.isPresent()) {
            Instances.Next n = unfinished.get();
            Optional<ProcessHandle> h = Processes.ours(n.pid(), name);
            if (h.isPresent() && n.build().equals(build)) {
                out.println(pad(name) + " going on with the deploy of build " + Builds.id(build) + " started before"
                        + " (pid " + n.pid() + ", port " + n.port() + ")");
                next = new Instances.Instance(n.port(), build);
                process = h.get();
                replaces = n.replaces();
            } else {
                h.ifPresent(p -> {
                    out.println(pad(name) + " stopping the unfinished deploy of build " + Builds.id(n.build()));
                    Processes.stop(p, Duration.ofSeconds(30));
                });
                instances.deployed(name);
            }
        }
        if (process == null) {
            Optional<ProcessHandle> old = Optional.ofNullable(stack.readPids().get(name))
                    .flatMap(pid -> Processes.ours(pid, name));
            if (old.isEmpty()) {
                throw new LaunchException(name + " is not running: ./services up starts it");
            }
            if (build.equals(current.build())) {
                out.println(pad(name) + " runs build " + Builds.id(build) + " already: nothing to deploy (change the"
                        + " code, or rebuild its projections with ./services replay " + name + ")");
                return;
            }
            replaces = old.get().pid();
            int port = s.otherPort(current.port()); // the gateway routes to no other
            // An instance of ours on that port that nothing recorded (the command stopped right after starting it).
            Processes.oursWith(name, "-Dquarkus.http.port=" + port + " ").ifPresent(h -> {
                out.println(pad(name) + " stopping an unrecorded instance on port " + port + " (pid " + h.pid() + ")");
                Processes.stop(h, Duration.ofSeconds(30));
            });
            if (Ports.inUse(port)) {
                throw new LaunchException("port " + port + ", where the next build of " + name + " starts, is taken"
                        + " by another program; stop it, then deploy again");
            }
            next = new Instances.Instance(port, build);
            // While it builds, the live instance wins the CPU: on two cores a JVM starting and a replay beside the live
            // one would otherwise starve its readers (measured: 503s from the gateway's full queue at 500 reads/s).
            Process p = stack.startInstance(s, next, Map.of(), true);
            process = p.toHandle();
            instances.deploying(name, new Instances.Next(p.pid(), port, build, replaces, rollback));
            out.println(pad(name) + " build " + Builds.id(build) + " starting on " + next.url() + " beside build "
                    + (current.build() == null ? "?" : Builds.id(current.build())) + " on " + current.url()
                    + " (log: " + stack.log(s, port) + ")");
        }
        if (s.hasProjections()) {
            // The build that takes the calls takes the live versions: a newer code version would by itself, an older
            // one (a rollback) or one whose version is not built yet only when asked; until it has them it is not
            // ready, so the gateway never reads from a version that has not caught up.
            askForTheLiveVersions(next, process);
        }
        followUntilReady(next, process, out);
        double readySeconds = (System.nanoTime() - started) / 1e9;

        JsonNode moved = stack.internalPut(stack.url(gateway), "/internal/routes/" + route,
                JSON.createObjectNode().put("url", next.url()).toString());
        if (moved == null || !moved.path("success").asBoolean()) {
            throw new LaunchException("the gateway did not move " + name + "'s calls ("
                    + (moved == null ? "no answer" : moved.path("error").asText()) + "); both builds run, the old"
                    + " one serving: run the command again");
        }
        Processes.serve(process);
        // Recorded in this order, so a rerun after a crash between any two steps finishes the job: the pid first
        // (the deploy under way still names the instance it replaces), then the new instance as live with the old
        // one to stop, then the stop.
        Map<String, Long> pids = stack.readPids();
        pids.put(name, process.pid());
        stack.writePids(pids);
        instances.live(name, next, replaces);
        out.println(pad(name) + " the gateway sends its calls to build " + Builds.id(build) + " on " + next.url()
                + " now");
        try {
            Thread.sleep(DRAIN.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Processes.ours(replaces, name).ifPresent(h -> Processes.stop(h, Duration.ofSeconds(30)));
        instances.retired(name);
        Set<Path> keep = new HashSet<>();
        keep.add(build);
        instances.previous(name).ifPresent(keep::add);
        stack.builds().prune(name, keep);
        out.printf("%s %s build %s in %.1f s (ready after %.1f s); build %s stopped%s%n", pad(name),
                rollback ? "rolled back to" : "deployed", Builds.id(build), (System.nanoTime() - started) / 1e9,
                readySeconds, current.build() == null ? "?" : Builds.id(current.build()),
                rollback ? "" : ", its projection versions kept for ./services rollback " + name + " until ./services gc");
    }

    /** If the gateway sends the service's calls somewhere that does not answer ready, moves them to the live instance. */
    private void routeBackIfDead(ServiceSpec gateway, String route, Instances.Instance current, PrintStream out) {
        JsonNode routes = stack.internalGet(stack.url(gateway), "/internal/routes");
        String to = routes == null ? null : routes.path("routes").path(route).asText(null);
        if (to == null || to.equals(current.url()) || stack.ready(to) || !stack.ready(current.url())) {
            return;
        }
        JsonNode moved = stack.internalPut(stack.url(gateway), "/internal/routes/" + route,
                JSON.createObjectNode().put("url", current.url()).toString());
        out.println(pad(s.name()) + " calls went to " + to + ", which does not answer: moved "
                + (moved != null && moved.path("success").asBoolean() ? "" : "(failed) ") + "back to " + current.url());
    }

    /** The gateway's name for the service's calls. */
    private static String route(ServiceSpec s) {
        return switch (s.name()) {
            case Stack.IDENTITY -> "identity";
            case Stack.POST -> "post";
            case Stack.FEED -> "feed";
            // It answers no calls the gateway routes: a new build would consume beside the old one in one group.
            case Stack.MODERATION -> throw new LaunchException(s.name() + " serves no calls to move: deploy it by"
                    + " restarting it (./services down, then up); its consumers resume where the old build stopped,"
                    + " and its decisions are deduplicated");
            // Two at once would sign two different checkpoint chains: it runs alone, so it is restarted, never doubled.
            case Stack.AUDIT -> throw new LaunchException(s.name() + " signs the checkpoints and must never run twice:"
                    + " deploy it by restarting it (./services down, then up); it goes on from its last batch and its"
                    + " last checkpoint");
            default -> throw new LaunchException(s.name() + " is the front door: nothing sits in front of it to move"
                    + " the traffic, so it is not deployed beside itself. Restart it (./services down, then up); in"
                    + " production the platform's load balancer rolls it");
        };
    }

    /** Asks the new build for the live projection versions once it answers (it switches once caught up). */
    private void askForTheLiveVersions(Instances.Instance next, ProcessHandle process) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            JsonNode r = stack.internalPost(next.url(), "/internal/projections/adopt");
            if (r != null && r.path("success").asBoolean()) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw stopped(next);
            }
            sleep(200);
        }
    }

    /** Prints the new build's progress (its projections' lag, events/s, ETA) until it answers ready. */
    private void followUntilReady(Instances.Instance next, ProcessHandle process, PrintStream out) {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        Map<String, long[]> last = new HashMap<>(); // projection -> {eventsApplied, nanoTime}
        Map<String, Double> rates = new HashMap<>();
        long lastPrint = 0;
        while (!stack.ready(next.url())) {
            if (!process.isAlive()) {
                out.println();
                instances.deployed(s.name());
                throw stopped(next);
            }
            if (System.nanoTime() > deadline) {
                out.println();
                throw new LaunchException("the new build of " + s.name() + " was not ready within " + READY_WITHIN
                        + "; it goes on running (./services status shows it): run the command again to follow it");
            }
            if (System.currentTimeMillis() - lastPrint > 1000) {
                out.print("\r\033[K" + pad(s.name()) + " " + progress(next, last, rates));
                out.flush();
                lastPrint = System.currentTimeMillis();
            }
            sleep(250);
        }
        out.print("\r\033[K");
        out.println(pad(s.name()) + " build " + Builds.id(next.build()) + " is ready");
    }

    private String progress(Instances.Instance next, Map<String, long[]> last, Map<String, Double> rates) {
        if (!s.hasProjections()) {
            return "starting";
        }
        JsonNode status = stack.internalGet(next.url(), "/internal/projections");
        if (status == null) {
            return "starting";
        }
        StringBuilder b = new StringBuilder();
        long now = System.nanoTime();
        for (JsonNode p : status.path("projections")) {
            String proj = p.path("projection").asText();
            long applied = p.path("eventsApplied").asLong();
            long lag = p.path("lag").asLong(-1);
            long[] before = last.put(proj, new long[] {applied, now});
            if (before != null && now > before[1]) {
                rates.put(proj, (applied - before[0]) / ((now - before[1]) / 1e9));
            }
            if (!p.path("building").asBoolean() && lag == 0) {
                continue;
            }
            double rate = rates.getOrDefault(proj, 0.0);
            if (!b.isEmpty()) {
                b.append("; ");
            }
            b.append(String.format("%s v%d (code version %d) %s: %,d events applied, lag %s, %,.0f events/s, ETA %s",
                    proj, p.path("version").asInt(), p.path("codeVersion").asInt(),
                    !p.path("building").asBoolean() ? "catching up" : lag == 0 ? "caught up, taking the live version"
                            : "building", applied,
                    lag < 0 ? "?" : String.format("%,d", lag), rate,
                    lag < 0 || rate <= 0 ? "?" : Math.round(lag / rate) + "s"));
        }
        return b.isEmpty() ? "caught up; waiting for readiness" : b.toString();
    }

    private LaunchException stopped(Instances.Instance next) {
        return new LaunchException("the new build of " + s.name() + " stopped before it was ready; see "
                + stack.log(s, next.port()) + Processes.tail(stack.log(s, next.port())) + "\nThe running build keeps"
                + " serving. Run the command again: it starts the build again, and its projections go on from where"
                + " they stopped");
    }

    private static String pad(String s) {
        return Stack.pad(s);
    }

    private static void sleep(long millis) {
        Stack.sleep(millis);
    }
}
