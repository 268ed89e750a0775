package dev.warden.config;

import dev.warden.config.ConfigNode.ListNode;
import dev.warden.config.ConfigNode.MapNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads {@code kv}: the stores each cluster's primary is published to. Null when the section is absent. */
final class KvBinder {

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
    private static final Pattern CONNECT = Pattern.compile("[A-Za-z0-9_.-]+:[0-9]{1,5}(,[A-Za-z0-9_.-]+:[0-9]{1,5})*"
            + "(/[A-Za-z0-9_.-]+)*");

    private final NodeReader r;

    KvBinder(NodeReader r) {
        this.r = r;
    }

    KvSettings kv(MapNode kv) {
        if (kv == null) {
            return null;
        }
        r.allowOnly(kv, "prefix", "mode", "timeout", "zookeeper", "etcd");
        String prefix = r.string(kv, "prefix", false);
        if (prefix == null) {
            prefix = KvSettings.DEFAULT_PREFIX;
        } else if (!PREFIX.matcher(prefix).matches() || java.util.Arrays.stream(prefix.split("/"))
                .anyMatch(w -> w.equals(".") || w.equals("..")) || prefix.equals("zookeeper")
                || prefix.startsWith("zookeeper/")) {
            r.error(kv.get("prefix"), "'" + prefix + "' is not a key prefix: words of letters, digits, '_', '.', '-' "
                    + "separated by '/', without a leading or trailing '/', no '.' or '..' word and not under zookeeper/ "
                    + "(ZooKeeper's own), such as mysql/master");
        }
        KvSettings.Mode mode = KvSettings.Mode.BEST_EFFORT;
        String m = r.string(kv, "mode", false);
        if (m != null) {
            switch (m) {
                case "gate" -> mode = KvSettings.Mode.GATE;
                case "best_effort" -> mode = KvSettings.Mode.BEST_EFFORT;
                default -> r.error(kv.get("mode"), "'" + m + "' is not a mode: gate (an operation waits for the "
                        + "stores: no promotion while they cannot be written) or best_effort (it goes on; later cycles "
                        + "repair them)");
            }
        }
        Duration timeout = r.duration(kv, "timeout", KvSettings.DEFAULT_TIMEOUT, Duration.ofMillis(200),
                Duration.ofSeconds(30));
        String zk = null;
        ConfigNode zkNode = kv.get("zookeeper");
        if (zkNode != null) {
            MapNode z = r.map(zkNode);
            if (z != null) {
                r.allowOnly(z, "connect");
                zk = r.string(z, "connect", true);
                if (zk != null && !CONNECT.matcher(zk).matches()) {
                    r.error(z.get("connect"), "'" + zk + "' is not a ZooKeeper connect string; write host:port pairs "
                            + "separated by commas, such as zk1:2181,zk2:2181,zk3:2181");
                    zk = null;
                }
            }
        }
        List<URI> etcd = new ArrayList<>();
        String user = null;
        Secret password = null;
        ConfigNode etcdNode = kv.get("etcd");
        if (etcdNode != null) {
            MapNode e = r.map(etcdNode);
            if (e != null) {
                r.allowOnly(e, "endpoints", "user", "password");
                etcd = endpoints(e);
                user = r.string(e, "user", false);
                String pw = r.string(e, "password", false);
                if ((user == null) != (pw == null)) {
                    r.error(e, "etcd authentication needs both user and password (write the password as "
                            + "${ETCD_PASSWORD} to keep it out of the file), or neither");
                    user = null;
                } else if (pw != null) {
                    password = Secret.of(pw);
                }
            }
        }
        if (zkNode == null && etcdNode == null) {
            r.error(kv, "kv names no store: add zookeeper (connect: host:port,...) or etcd (endpoints: "
                    + "[http://host:2379]), or remove the section");
        }
        return new KvSettings(prefix, mode, timeout, zk, etcd, user, password);
    }

    private List<URI> endpoints(MapNode e) {
        List<URI> out = new ArrayList<>();
        ConfigNode n = e.get("endpoints");
        if (n == null) {
            r.error(e, "etcd.endpoints is required, such as [http://etcd1:2379, http://etcd2:2379]");
            return out;
        }
        ListNode list = r.list(n);
        if (list == null) {
            return out;
        }
        for (ConfigNode item : list.items()) {
            String text = r.scalarText(item, true);
            if (text == null) {
                continue;
            }
            URI u = null;
            try {
                u = URI.create(text);
            } catch (IllegalArgumentException ex) {
                // reported below
            }
            if (u == null || !("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
                    || u.getPort() < 0 || (u.getPath() != null && !u.getPath().isEmpty() && !"/".equals(u.getPath()))) {
                r.error(item, "'" + text + "' is not an etcd endpoint; write http://host:port or https://host:port, "
                        + "such as http://etcd1:2379");
            } else {
                out.add(URI.create(u.getScheme() + "://" + u.getHost() + ":" + u.getPort()));
            }
        }
        if (out.isEmpty() && r.errors.isEmpty()) {
            r.error(n, "etcd.endpoints is empty: list at least one, such as [http://etcd1:2379]");
        }
        return out;
    }
}
