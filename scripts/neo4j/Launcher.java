import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Starts an embedded Neo4j Community DBMS with the Bolt connector listening on
 * 127.0.0.1 only, for quanze's tests and CI. Started by scripts/neo4j/start.
 *
 * Usage: java -cp CLASSPATH Launcher --home DIR [--port 7687] [--pagecache 64m]
 *                                    [--conf key=value]...
 *
 * The password comes from the environment variable NEO4J_PASSWORD (so it does
 * not show in `ps`): empty or unset disables authentication; otherwise
 * authentication is enabled and the user "neo4j" gets exactly that password
 * (any length, no forced change), set again at every start.
 *
 * Prints "quanze-neo4j: READY bolt://127.0.0.1:PORT" once Bolt accepts
 * sessions with the final credentials. Shuts down cleanly on SIGTERM/SIGINT.
 */
public final class Launcher {
    private static final String READY = "quanze-neo4j: READY ";

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            // Neo4j may have started non-daemon threads: make sure a failed start ends the JVM.
            System.out.println("quanze-neo4j: FAILED: " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Path home = null;
        int port = 7687;
        String pageCache = "64m";
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--home":
                    home = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
                    break;
                case "--port":
                    port = Integer.parseInt(value(args, ++i, a));
                    break;
                case "--pagecache":
                    pageCache = value(args, ++i, a);
                    break;
                case "--conf": {
                    String kv = value(args, ++i, a);
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        usage("--conf needs key=value, got: " + kv);
                    }
                    extra.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
                    break;
                }
                default:
                    usage("unknown argument: " + a);
            }
        }
        if (home == null) {
            usage("--home is required");
        }
        String password = System.getenv().getOrDefault("NEO4J_PASSWORD", "");
        boolean auth = !password.isEmpty();
        String address = "127.0.0.1:" + port;

        Map<String, String> conf = new LinkedHashMap<>();
        // Bolt on loopback only, plain text (the Python driver uses bolt:// without TLS).
        conf.put("server.bolt.enabled", "true");
        conf.put("server.bolt.listen_address", address);
        conf.put("server.bolt.advertised_address", address);
        conf.put("server.bolt.tls_level", "DISABLED");
        conf.put("server.default_listen_address", "127.0.0.1");
        conf.put("server.default_advertised_address", "127.0.0.1");
        // Authentication: off unless a password is given.
        conf.put("dbms.security.auth_enabled", Boolean.toString(auth));
        conf.put("dbms.security.auth_minimum_password_length", "1");
        // No lock-out after failed logins, so wrong-password tests can repeat.
        conf.put("dbms.security.auth_max_failed_attempts", "0");
        // Small footprint for a test server.
        conf.put("server.memory.pagecache.size", pageCache);
        conf.put("db.tx_log.preallocate", "false");
        conf.put("db.tx_log.rotation.size", "16M");
        conf.put("db.tx_log.rotation.retention_policy", "2 files");
        // Never phone home (this machine has no network anyway).
        conf.put("dbms.usage_report.enabled", "false");
        conf.putAll(extra);

        Path confDir = home.resolve("conf");
        Files.createDirectories(confDir);
        Path confFile = confDir.resolve("neo4j.conf");
        StringBuilder sb = new StringBuilder("# written by scripts/neo4j/Launcher.java at every start\n");
        conf.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(confFile, sb.toString(), StandardCharsets.UTF_8);

        PrintStream out = System.out;
        out.println("quanze-neo4j: starting Neo4j " + neo4jVersion() + " on Java " + Runtime.version()
                + ", home " + home + ", bolt " + address + ", auth " + (auth ? "enabled" : "disabled"));
        long t0 = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .loadPropertiesFromFile(confFile)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean shuttingDown = new AtomicBoolean(false);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (shuttingDown.compareAndSet(false, true)) {
                out.println("quanze-neo4j: shutting down");
                long s0 = System.nanoTime();
                try {
                    dbms.shutdown();
                } catch (Throwable t) {
                    t.printStackTrace(out);
                }
                out.printf("quanze-neo4j: stopped in %.1f s%n", (System.nanoTime() - s0) / 1e9);
                out.flush();
            }
            stopped.countDown();
        }, "quanze-neo4j-shutdown"));

        if (auth) {
            // The embedded API bypasses authentication, so we can (re)set the
            // password of the built-in user before anyone is told we are ready.
            GraphDatabaseService system = dbms.database("system");
            try {
                system.executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            } catch (RuntimeException e) {
                // A restart on the same data with the same password: Neo4j refuses to "change" it to
                // itself, and the password is already what we want.
                if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) {
                    throw e;
                }
            }
        }
        // Fail early (rather than at the first test) if the default database did not come up.
        dbms.database("neo4j").executeTransactionally("RETURN 1");

        out.printf("quanze-neo4j: started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        out.println(READY + "bolt://" + address);
        out.flush();
        stopped.await();
    }

    private static String neo4jVersion() {
        Package p = DatabaseManagementService.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "(version unknown)" : v;
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            usage(flag + " needs a value");
        }
        return args[i];
    }

    private static void usage(String msg) {
        System.err.println("Launcher: " + msg);
        System.err.println("usage: java -cp CP Launcher --home DIR [--port 7687] [--pagecache 64m] [--conf key=value]...");
        System.err.println("       NEO4J_PASSWORD=pw enables authentication for user neo4j");
        System.exit(2);
    }

    private Launcher() {
    }
}
