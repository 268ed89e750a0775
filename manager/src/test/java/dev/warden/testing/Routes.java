package dev.warden.testing;

import dev.warden.sandbox.Ports;
import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuttable paths through {@link FaultProxy}s: the manager's route to every server (its configuration names the
 * proxies; applications and replicas still reach the servers directly), or a replica's route to its source (the
 * replica is re-pointed at a proxy in front of the source). Closing stops the proxies.
 */
public final class Routes implements AutoCloseable {

    private final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
    private String yaml;

    private Routes() {
    }

    /** Proxies for the manager; {@link #yaml()} is the sandbox's configuration pointing at them. */
    public static Routes forManager(Sandbox sb) throws IOException {
        Routes r = new Routes();
        int base = Ports.freeBlock(sb.instances().size());
        String yaml = Files.readString(sb.configFile());
        int n = 0;
        for (SandboxInstance i : sb.instances()) {
            FaultProxy p = new FaultProxy(base + n++, i.port());
            r.proxies.put(i.name(), p);
            yaml = yaml.replace("port: " + i.port() + "\n", "port: " + p.port() + "\n");
        }
        r.yaml = yaml;
        return r;
    }

    /** Each replica replicates from {@code source} through a proxy of its own. */
    public static Routes forReplication(Sandbox sb, SandboxInstance source, List<SandboxInstance> replicas)
            throws IOException {
        Routes r = new Routes();
        int base = Ports.freeBlock(replicas.size());
        int n = 0;
        for (SandboxInstance replica : replicas) {
            FaultProxy p = new FaultProxy(base + n++, source.port());
            r.proxies.put(replica.name(), p);
            ReplicaSql.change(sb, replica, "PORT = " + p.port());
            Await.until(replica.name() + " replicating through its proxy", Duration.ofSeconds(20),
                    () -> RootSql.replication(sb, replica), ("127.0.0.1:" + p.port() + " Yes Yes")::equals);
        }
        return r;
    }

    /** The sandbox configuration with the manager's routes (forManager only). */
    public String yaml() {
        return yaml;
    }

    /** The route of (or to) a server. */
    public FaultProxy of(SandboxInstance i) {
        return proxies.get(i.name());
    }

    public int port(SandboxInstance i) {
        return of(i).port();
    }

    public void refuseAll() throws IOException {
        for (FaultProxy p : proxies.values()) {
            p.refuse();
        }
    }

    public void healAll() throws IOException {
        for (FaultProxy p : proxies.values()) {
            p.heal();
        }
    }

    @Override
    public void close() throws IOException {
        for (FaultProxy p : proxies.values()) {
            p.close();
        }
    }
}
