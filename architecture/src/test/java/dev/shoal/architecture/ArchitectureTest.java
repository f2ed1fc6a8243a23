package dev.shoal.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The design's "nevers", held against the classes every module built (this module is the reactor's last). A rule
 * that breaks names the class and the dependency that broke it.
 */
class ArchitectureTest {
    static final List<String> MODULES = List.of("events", "api-contract", "platform", "platform-write", "identity-service", "post-service",
            "feed-service", "moderation-service", "audit-service", "gateway");
    static JavaClasses shoal;

    @BeforeAll
    static void importEveryModule() {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> dirs = new ArrayList<>();
        for (String module : MODULES) {
            Path classes = root.resolve(module).resolve("target/classes");
            if (!Files.isDirectory(classes)) {
                throw new IllegalStateException(classes + " is missing: build every module first (./mvnw verify)");
            }
            dirs.add(classes);
        }
        shoal = new ClassFileImporter().importPaths(dirs);
    }

    @Test
    void theEventContractDependsOnNothingOfShoal() {
        noClasses().that().resideInAPackage("dev.shoal.events..")
                .should().dependOnClassesThat(resideInAPackage("dev.shoal..").and(not(resideInAPackage("dev.shoal.events.."))))
                .because("events/ is the log's contract, read by every service and by tools that are not Shoal")
                .check(shoal);
    }

    @Test
    void theApiContractDependsOnNothingOfShoal() {
        noClasses().that().resideInAPackage("dev.shoal.contract..")
                .should().dependOnClassesThat(resideInAPackage("dev.shoal..").and(not(resideInAPackage("dev.shoal.contract.."))))
                .because("api-contract/ is the agent API's bodies, shared by the services that answer them and the gateway"
                        + " that documents them; it must not carry any service's insides")
                .check(shoal);
    }

    @Test
    void noServiceImportsAnotherServicesPackages() {
        slices().matching("dev.shoal.(identity|post|feed|moderation|audit|gateway)..").should().notDependOnEachOther()
                .because("services talk to each other only through Kafka (and the gateway over HTTP)")
                .check(shoal);
    }

    @Test
    void domainPackagesArePlainJava() {
        noClasses().that().resideInAnyPackage(PURE_DOMAINS)
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.hibernate..",
                        "io.vertx..", "jakarta.ws.rs..", "jakarta.persistence..", "io.quarkus.hibernate..",
                        "io.quarkus..", "io.smallrye.mutiny..", "dev.shoal.platform.sql..", "dev.shoal.platform.outbox..",
                        "dev.shoal.platform.http..", "dev.shoal.platform.write..", "dev.shoal.platform.projection..")
                .because("deciders and rules are pure functions, unit-tested without Quarkus, SQL or HTTP")
                .check(shoal);
    }

    /** Every service's domain: commands, deciders, state and rules as pure functions. */
    static final String[] PURE_DOMAINS = {"dev.shoal.identity.domain..", "dev.shoal.post.domain..",
            "dev.shoal.feed.domain..", "dev.shoal.moderation.domain..", "dev.shoal.audit.domain..",
            "dev.shoal.gateway.domain.."};
}
