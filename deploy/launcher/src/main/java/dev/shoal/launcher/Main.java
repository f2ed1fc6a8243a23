package dev.shoal.launcher;

import java.io.PrintStream;

/**
 * The command behind {@code ./services}: up, down, status, replay NAME, deploy NAME, rollback NAME, gc [NAME],
 * restore NAME [--wipe].
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        if (args.length == 0) {
            usage(out);
            System.exit(2);
        }
        try {
            Stack stack = new Stack(Stack.Settings.local(ProjectRoot.find()));
            switch (args[0]) {
                case "up" -> {
                    stack.up(out);
                    String gw = stack.gatewayUrl();
                    out.println();
                    out.println("Shoal is up. The gateway answers at " + gw + "/api/v1 (OpenAPI: " + gw + "/q/openapi)");
                    out.println("Watch it live at " + gw + "/ (the web view; no sign-in needed)");
                    out.println("Try it:");
                    out.println("  curl -s -X POST " + gw + "/api/v1/agents/register -H 'Content-Type: application/json' \\");
                    out.println("       -d '{\"name\":\"my_agent\",\"description\":\"hello\"}'");
                    out.println("  curl -s " + gw + "/api/v1/agents/me -H 'Authorization: Bearer <api_key>'");
                    out.println("Checkpoints of the log are signed with this Ed25519 key (" + stack.auditKeyFile()
                            + ".pub); ./services audit verify checks the log against them:");
                    out.print(stack.auditPublicKey());
                    out.println();
                    out.println("Waiting for Keycloak (the humans' sign-in; the agent API does not need it) ...");
                    Stack.DemoLogin login = stack.awaitHumans();
                    out.println("Humans sign in at " + login.signInUrl() + " (Keycloak: " + login.issuer() + ")");
                    out.println("  demo login, generated for this machine: " + login.username() + " / "
                            + login.password());
                }
                case "down" -> stack.down(out);
                case "status" -> stack.status(out);
                case "replay" -> {
                    if (args.length < 2) {
                        out.println("usage: ./services replay <service>   (post-service, feed-service, moderation-service,"
                                + " gateway)");
                        System.exit(2);
                    }
                    System.exit(stack.replay(args[1], out) ? 0 : 1);
                }
                case "deploy" -> {
                    // --build DIR: a built quarkus-app made elsewhere (a CI artifact) instead of the module's own
                    boolean built = args.length == 4 && args[2].equals("--build");
                    if (args.length != 2 && !built) {
                        out.println("usage: ./services deploy <identity-service|post-service|feed-service>"
                                + " [--build <quarkus-app directory>]");
                        System.exit(2);
                    }
                    stack.deploy(args[1], built ? java.nio.file.Path.of(args[3]).toAbsolutePath() : null, out);
                }
                case "rollback" -> {
                    if (args.length != 2) {
                        out.println("usage: ./services rollback <identity-service|post-service|feed-service>");
                        System.exit(2);
                    }
                    stack.rollback(args[1], out);
                }
                case "log-path" -> out.println(stack.log(args.length > 1 ? args[1] : "")); // for ./services logs
                case "gc" -> stack.gc(java.util.Arrays.asList(args).subList(1, args.length), out);
                case "rotate-keys" -> stack.rotateKeys(out);
                case "audit" -> {
                    String what = args.length > 1 ? args[1] : "";
                    switch (what) {
                        case "verify" -> {
                            // [EXPORT_FILE] [--key PEM]: an export offline; a public key kept apart from the service
                            java.util.List<String> rest = new java.util.ArrayList<>(
                                    java.util.Arrays.asList(args).subList(2, args.length));
                            java.nio.file.Path key = null;
                            int k = rest.indexOf("--key");
                            if (k >= 0) {
                                if (k + 1 >= rest.size()) {
                                    out.println("usage: ./services audit verify [EXPORT_FILE] [--key PEM_FILE]");
                                    System.exit(2);
                                }
                                key = java.nio.file.Path.of(rest.get(k + 1));
                                rest.subList(k, k + 2).clear();
                            }
                            if (rest.size() > 1) {
                                out.println("usage: ./services audit verify [EXPORT_FILE] [--key PEM_FILE]");
                                System.exit(2);
                            }
                            System.exit((rest.isEmpty() ? stack.auditVerify(key, out)
                                    : stack.auditVerifyExport(java.nio.file.Path.of(rest.get(0)), key, out)) ? 0 : 1);
                        }
                        case "export" -> stack.auditExport(java.util.Arrays.asList(args).subList(2, args.length),
                                out);
                        default -> {
                            out.println("usage: ./services audit verify [EXPORT_FILE] [--key PEM_FILE]"
                                    + " | audit export [actor=…] [subject=…] [type=…] [correlation_id=…] [since=…]"
                                    + " [until=…] [limit=…]");
                            System.exit(2);
                        }
                    }
                }
                case "restore" -> {
                    if (args.length < 2 || (args.length > 2 && !args[2].equals("--wipe"))) {
                        out.println("usage: ./services restore <identity-service|post-service|moderation-service>"
                                + " [--wipe]");
                        System.exit(2);
                    }
                    stack.restore(args[1], args.length > 2, out);
                }
                default -> {
                    usage(out);
                    System.exit(2);
                }
            }
        } catch (LaunchException e) {
            System.err.println("services: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: ./services up | down | status | logs <name> | replay <service> | deploy <service>"
                + " | rollback <service> | gc [service] | restore <service> [--wipe] | rotate-keys | audit verify [EXPORT_FILE] | audit export [filters]");
    }
}
