package dev.warden.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.sandbox.Sandbox;
import dev.warden.sandbox.SandboxInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a cluster must look like after any operation: one primary, everyone else replicating from it. */
public final class Convergence {

    private Convergence() {
    }

    /**
     * Waits until every survivor replicates from {@code primary} with both threads running, then checks that
     * {@code primary} is the only writable running server and replicates from nobody.
     */
    public static void onePrimary(Sandbox sb, SandboxInstance primary, List<SandboxInstance> survivors,
                                  Duration within) {
        Await.until("every survivor replicating from " + primary.key(), within,
                () -> survivors.stream().map(r -> RootSql.replication(sb, r)).toList(),
                states -> states.stream().allMatch(s -> ("127.0.0.1:" + primary.port() + " Yes Yes").equals(s)));
        assertThat(writable(sb)).extracting(SandboxInstance::name).containsExactly(primary.name());
        assertThat(RootSql.replication(sb, primary)).as("the primary replicates from nobody").isNull();
    }

    /** The running servers that accept writes. */
    public static List<SandboxInstance> writable(Sandbox sb) {
        List<SandboxInstance> out = new ArrayList<>();
        for (SandboxInstance i : sb.instances()) {
            if (sb.isRunning(i) && "0".equals(RootSql.value(sb, i, "SELECT @@read_only"))) {
                out.add(i);
            }
        }
        return out;
    }
}
