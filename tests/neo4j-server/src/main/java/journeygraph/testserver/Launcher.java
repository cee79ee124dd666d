package journeygraph.testserver;

import java.nio.file.Path;
import java.util.List;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

/**
 * Runs Neo4j Community in this process with Bolt on 127.0.0.1:PORT, its files in FOLDER.
 *
 * <p>Prints "ready BOLT-URI" once it answers, and stops when standard input closes,
 * so that the test process that started it cannot leave it running.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 6) {
            System.err.println(
                    "usage: Launcher PORT FOLDER [PLUGINS [UNRESTRICTED [TX-MEMORY-BYTES [CYPHER-VERSION]]]]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        Neo4jBuilder builder = Neo4jBuilders.newInProcessBuilder(Path.of(args[1]))
                .withDisabledServer()
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port));
        if (args.length >= 3) {
            // Procedures are found only in plugin jars, not on the classpath. GDS needs
            // to be let out of the sandbox ("gds.*"); "" leaves it sandboxed, as a
            // server whose administrator has not allowed it.
            String unrestricted = args.length >= 4 ? args[3] : "gds.*";
            builder = builder
                    .withConfig(GraphDatabaseSettings.plugin_dir, Path.of(args[2]))
                    .withConfig(
                            GraphDatabaseSettings.procedure_unrestricted,
                            unrestricted.isEmpty() ? List.of() : List.of(unrestricted));
        }
        if (args.length >= 5 && !args[4].isEmpty()) {
            // A transaction memory limit, as on a small server: the limit per
            // transaction, and of all together (which Neo4j wants at least 10 MiB).
            long bytes = Long.parseLong(args[4]);
            builder = builder
                    .withConfig(GraphDatabaseSettings.memory_transaction_max_size, bytes)
                    .withConfig(
                            GraphDatabaseSettings.memory_transaction_global_max_size,
                            Math.max(bytes, 10L * 1024 * 1024));
        }
        if (args.length == 6 && !args[5].isEmpty()) {
            builder = withDefaultLanguage(builder, args[5]);
        }
        Neo4j neo4j = builder.build();
        System.out.println("ready " + neo4j.boltURI());
        System.out.flush();
        while (System.in.read() != -1) {
            // Standard input is the test run's lifeline.
        }
        neo4j.close();
    }

    /**
     * Makes queries without a CYPHER prefix run as Cypher VERSION ("25"), as Neo4j
     * 2025.06 and later let a server choose (they default to Cypher 5).
     *
     * <p>By reflection, so that this file still compiles against Neo4j 5.26, which
     * has no such setting (and speaks Cypher 5 only).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Neo4jBuilder withDefaultLanguage(Neo4jBuilder builder, String version)
            throws ReflectiveOperationException {
        Setting<Object> setting =
                (Setting<Object>) GraphDatabaseSettings.class.getField("default_language").get(null);
        Class<? extends Enum> versions = (Class<? extends Enum>)
                Class.forName("org.neo4j.configuration.GraphDatabaseSettings$CypherVersion");
        return builder.withConfig(setting, Enum.valueOf(versions, "Cypher" + version));
    }
}
