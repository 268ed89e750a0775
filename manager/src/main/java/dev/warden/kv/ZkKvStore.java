package dev.warden.kv;

import dev.warden.model.InstanceKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The primary in ZooKeeper: znodes {@code /<prefix>/<cluster>} (data {@code host:port}) with children
 * {@code hostname}, {@code port} and {@code warden_epoch}, all written in one multi-operation that also checks the
 * epoch znode's version.
 */
public final class ZkKvStore implements KvStore {

    private final CuratorFramework client;
    private final String connect;
    private final KvLayout layout;

    public ZkKvStore(String connect, KvLayout layout, Duration timeout) {
        this.connect = connect;
        this.layout = layout;
        int ms = (int) timeout.toMillis();
        this.client = CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(Math.max(ms * 5, 4000))
                .connectionTimeoutMs(ms).retryPolicy(new RetryOneTime(Math.min(ms / 4, 200))).build();
        client.start();
    }

    @Override
    public String name() {
        return "zookeeper " + connect;
    }

    @Override
    public Reading read(String cluster) throws IOException {
        try {
            String primary = data(path(layout.primaryKey(cluster)), null);
            return new Reading(primary, KvLayout.epoch(data(path(layout.epochKey(cluster)), null)),
                    data(path(layout.primaryKey(cluster) + "/hostname"), null),
                    data(path(layout.primaryKey(cluster) + "/port"), null));
        } catch (Exception e) {
            throw failure("read", e);
        }
    }

    @Override
    public void publish(String cluster, InstanceKey primary, long epoch) throws IOException {
        write(cluster, primary, epoch, false);
    }

    @Override
    public void publishOverridingEpoch(String cluster, InstanceKey primary) throws IOException {
        write(cluster, primary, 0, true);
    }

    private void write(String cluster, InstanceKey primary, long mine, boolean override) throws IOException {
        String epochPath = path(layout.epochKey(cluster));
        try {
            String parent = path(layout.prefix());
            if (client.checkExists().forPath(parent) == null) {
                client.create().creatingParentContainersIfNeeded().forPath(parent, new byte[0]);
            }
        } catch (KeeperException.NodeExistsException e) {
            // another writer made it
        } catch (Exception e) {
            throw failure("write", e);
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                Stat epochStat = new Stat();
                String held = data(epochPath, epochStat);
                long stored = KvLayout.epoch(held);
                if (!override && stored > mine) {
                    throw new StaleEpoch(name() + " holds epoch " + stored + " for " + layout.primaryKey(cluster)
                            + ", newer than this manager's " + mine + ": a newer leader published; not overwritten");
                }
                List<CuratorOp> ops = new ArrayList<>();
                for (Map.Entry<String, String> kv : layout.values(cluster, primary, Math.max(mine, stored)).entrySet()) {
                    String p = path(kv.getKey());
                    byte[] v = kv.getValue().getBytes(StandardCharsets.UTF_8);
                    if (p.equals(epochPath)) {
                        ops.add(held == null && epochStat.getVersion() < 0
                                ? client.transactionOp().create().forPath(p, v)
                                : client.transactionOp().setData().withVersion(epochStat.getVersion()).forPath(p, v));
                    } else {
                        ops.add(client.checkExists().forPath(p) == null ? client.transactionOp().create().forPath(p, v)
                                : client.transactionOp().setData().forPath(p, v));
                    }
                }
                client.transaction().forOperations(ops);
                return;
            } catch (KeeperException.BadVersionException | KeeperException.NodeExistsException
                     | KeeperException.NoNodeException e) {
                // Another writer between the read and the write: read again.
            } catch (StaleEpoch e) {
                throw e;
            } catch (Exception e) {
                throw failure("write", e);
            }
        }
        throw new IOException(name() + ": other writers kept changing " + layout.primaryKey(cluster) + " ("
                + ATTEMPTS + " attempts); not written");
    }

    /** The znode's text, or null when it does not exist ({@code stat} then keeps version -1). */
    private String data(String path, Stat stat) throws Exception {
        try {
            byte[] b = stat == null ? client.getData().forPath(path) : client.getData().storingStatIn(stat)
                    .forPath(path);
            return b == null ? "" : new String(b, StandardCharsets.UTF_8);
        } catch (KeeperException.NoNodeException e) {
            if (stat != null) {
                stat.setVersion(-1);
            }
            return null;
        }
    }

    private static String path(String key) {
        return "/" + key;
    }

    private IOException failure(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        String why = e instanceof KeeperException k ? k.code() + (k.getPath() == null ? "" : " on " + k.getPath())
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IOException(name() + ": could not " + what + " (" + why + ")", e);
    }

    @Override
    public void close() {
        client.close();
    }
}
