package dev.warden.coordination;

import dev.warden.config.CoordinationSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * A one-shot look at the coordination, for commands ({@code warden status}): who leads each cluster and at which
 * epoch, read from ZooKeeper without joining any election.
 */
public final class ZkLook {

    /**
     * @param leader who holds the cluster's election now (null: nobody)
     * @param epoch  the cluster's epoch (0: never led)
     * @param raisedBy the manager whose leadership raised it to this epoch
     */
    public record Look(String leader, long epoch, String raisedBy) {
        public String display() {
            if (leader == null) {
                return "no manager leads it" + (epoch > 0 ? " (last epoch " + epoch + ", raised by " + raisedBy + ")"
                        : "");
            }
            return "led by " + leader + (epoch > 0 && leader.equals(raisedBy) ? " (epoch " + epoch + ")"
                    : " (taking up; last epoch " + epoch + ")");
        }
    }

    private ZkLook() {
    }

    /** @throws IllegalStateException when ZooKeeper cannot be reached within {@code timeout} */
    public static Map<String, Look> look(CoordinationSettings settings, List<String> clusters, Duration timeout) {
        try (CuratorFramework client = ZkCoordination.client(settings)) {
            client.start();
            if (!client.blockUntilConnected((int) timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("cannot reach ZooKeeper " + settings.connect() + " within "
                        + timeout.toMillis() + " ms");
            }
            Map<String, Look> out = new LinkedHashMap<>();
            for (String c : clusters) {
                out.put(c, look(client, c));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading ZooKeeper");
        }
    }

    private static Look look(CuratorFramework client, String cluster) {
        String base = "/clusters/" + cluster;
        try {
            String leader = null;
            List<String> latch = new ArrayList<>(children(client, base + "/leader"));
            latch.sort(Comparator.comparing(ZkLook::sequence));
            for (String node : latch) {
                try {
                    leader = new String(client.getData().forPath(base + "/leader/" + node), StandardCharsets.UTF_8);
                    break;
                } catch (KeeperException.NoNodeException gone) {
                    // its manager just left: the next one in line
                }
            }
            String epoch = "";
            try {
                epoch = new String(client.getData().forPath(base + "/epoch"), StandardCharsets.UTF_8).trim();
            } catch (KeeperException.NoNodeException never) {
                // never led
            }
            int sp = epoch.indexOf(' ');
            long e = epoch.isEmpty() ? 0 : Long.parseLong(sp < 0 ? epoch : epoch.substring(0, sp));
            return new Look(leader, e, sp < 0 ? null : epoch.substring(sp + 1));
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the leadership of cluster " + cluster + " in ZooKeeper: " + e,
                    e);
        }
    }

    private static List<String> children(CuratorFramework client, String path) throws Exception {
        try {
            return client.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException none) {
            return List.of();
        }
    }

    /** Curator's latch nodes end in a sequence number: the lowest holds the leadership. */
    private static String sequence(String node) {
        int i = node.lastIndexOf('-');
        return i < 0 ? node : node.substring(i + 1);
    }
}
