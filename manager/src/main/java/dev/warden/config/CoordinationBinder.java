package dev.warden.config;

import dev.warden.config.ConfigNode.ListNode;
import dev.warden.config.ConfigNode.MapNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads {@code manager} and {@code coordination}: several managers on ZooKeeper, or (absent) one alone. */
final class CoordinationBinder {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern CONNECT = Pattern.compile("[A-Za-z0-9_.-]+:[0-9]{1,5}(,[A-Za-z0-9_.-]+:[0-9]{1,5})*");
    private static final Pattern ROOT = Pattern.compile("(/[A-Za-z0-9_.-]+)+");

    private final NodeReader r;
    private final java.util.function.UnaryOperator<java.nio.file.Path> relative;

    /** @param relative resolves a path against the configuration file's directory */
    CoordinationBinder(NodeReader r, java.util.function.UnaryOperator<java.nio.file.Path> relative) {
        this.r = r;
        this.relative = relative;
    }

    /** Null when there is no {@code coordination} section. */
    CoordinationSettings coordination(MapNode top, MapNode manager, MapNode coordination, StoreSettings store) {
        String name = null;
        String url = null;
        if (manager != null) {
            r.allowOnly(manager, "name", "url");
            name = r.string(manager, "name", false);
            url = r.string(manager, "url", false);
            if (name != null && !NAME.matcher(name).matches()) {
                r.error(manager.get("name"), "'" + name + "' is not a manager name: use letters, digits, '_', '.', "
                        + "'-' (at most 64), such as site-a");
            }
            if (url != null && !url.matches("https?://[^\\s/]+(/\\S*)?")) {
                r.error(manager.get("url"), "'" + url + "' is not an http(s) URL; write it like "
                        + "https://warden-a.example:8443");
            }
        }
        if (coordination == null) {
            return null;
        }
        r.allowOnly(coordination, "zookeeper", "managers");
        if (manager == null || name == null) {
            r.error(manager == null ? coordination : manager, "with coordination, each manager needs manager.name "
                    + "(its site or host label, one of coordination.managers)");
        }
        if (!store.isMysql()) {
            r.error(coordination, "several managers share one journal of operations: set store.mysql to a schema "
                    + "every manager uses (a SQLite store belongs to one manager)");
        }
        ConfigNode zkNode = coordination.get("zookeeper");
        MapNode zk = zkNode == null ? null : r.map(zkNode);
        if (zkNode == null) {
            r.error(coordination, "coordination.zookeeper is required (connect: host:port,host:port,host:port)");
        }
        String connect = null;
        String root = "/warden";
        Duration session = CoordinationSettings.DEFAULT_SESSION_TIMEOUT;
        Duration connection = CoordinationSettings.DEFAULT_CONNECTION_TIMEOUT;
        Secret auth = null;
        if (zk != null) {
            r.allowOnly(zk, "connect", "root", "session_timeout", "connection_timeout", "auth", "tls");
            connect = r.string(zk, "connect", true);
            if (connect != null && !CONNECT.matcher(connect).matches()) {
                r.error(zk.get("connect"), "'" + connect + "' is not a ZooKeeper connect string; write "
                        + "host:port pairs separated by commas, such as zk1:2181,zk2:2181,zk3:2181");
            }
            String rootText = r.string(zk, "root", false);
            if (rootText != null) {
                if (ROOT.matcher(rootText).matches()) {
                    root = rootText;
                } else {
                    r.error(zk.get("root"), "'" + rootText + "' is not a znode path: it starts with '/', has no "
                            + "trailing '/', such as /warden");
                }
            }
            session = r.duration(zk, "session_timeout", session, Duration.ofSeconds(1), Duration.ofSeconds(60));
            connection = r.duration(zk, "connection_timeout", connection, Duration.ofMillis(200),
                    Duration.ofSeconds(60));
            if (connection.compareTo(session) >= 0) {
                r.error(zk.get("connection_timeout") == null ? zk : zk.get("connection_timeout"),
                        "connection_timeout (" + DurationText.format(connection) + ") must be shorter than "
                                + "session_timeout (" + DurationText.format(session) + ")");
            }
            String a = r.string(zk, "auth", false);
            if (a != null) {
                if (a.indexOf(':') <= 0 || a.endsWith(":")) {
                    r.error(zk.get("auth"), "auth is ZooKeeper digest credentials, user:password");
                } else {
                    auth = Secret.of(a);
                }
            }
        }
        ZkTls tls = zk == null || zk.get("tls") == null ? null : tls(zk.get("tls"));
        List<String> managers = managers(coordination, name);
        if (name == null || connect == null) {
            return null;
        }
        return new CoordinationSettings(name, url, connect, root, session, connection, auth, managers, tls);
    }

    /** {@code coordination.zookeeper.tls}: the stores are checked here (found, readable, opened), not at connect. */
    private ZkTls tls(ConfigNode node) {
        MapNode t = r.map(node);
        if (t == null) {
            return null;
        }
        int before = r.errors.size();
        r.allowOnly(t, "trust_store", "trust_store_password", "key_store", "key_store_password",
                "hostname_verification");
        java.nio.file.Path trust = store(t, "trust_store", true);
        Secret trustPw = storePassword(t, "trust_store", trust);
        java.nio.file.Path key = store(t, "key_store", false);
        Secret keyPw = key == null ? null : storePassword(t, "key_store", key);
        boolean verify = r.bool(t, "hostname_verification", true);
        if (trust == null) {
            return null;
        }
        if (r.errors.size() == before) {
            String problem = dev.warden.config.ZkTlsCheck.problem(trust, trustPw, false);
            if (problem == null && key != null) {
                problem = dev.warden.config.ZkTlsCheck.problem(key, keyPw, true);
            }
            if (problem != null) {
                r.error(t, problem);
            }
        }
        return new ZkTls(trust, trustPw, key, keyPw, verify);
    }

    private java.nio.file.Path store(MapNode t, String key, boolean required) {
        String text = r.string(t, key, required);
        if (text == null) {
            return null;
        }
        java.nio.file.Path p = relative.apply(java.nio.file.Path.of(text));
        if (!java.nio.file.Files.isReadable(p)) {
            r.error(t.get(key), p + " does not exist or cannot be read by this user");
            return null;
        }
        if (ZkTls.type(p) == null) {
            r.error(t.get(key), p + ": name the file for its format: .pem (or .crt), .p12 (or .pfx) or .jks");
            return null;
        }
        return p;
    }

    private Secret storePassword(MapNode t, String key, java.nio.file.Path store) {
        String pw = r.string(t, key + "_password", false);
        boolean pem = store != null && "PEM".equals(ZkTls.type(store));
        if (store != null && !pem && pw == null) {
            r.error(t, key + "_password is required: " + store.getFileName() + " is a " + ZkTls.type(store)
                    + " store");
        }
        return pw == null ? null : Secret.of(pw);
    }

    private List<String> managers(MapNode coordination, String self) {
        ConfigNode n = coordination.get("managers");
        List<String> names = new ArrayList<>();
        if (n == null) {
            r.error(coordination, "coordination.managers is required: every manager's name, such as "
                    + "[site-a, site-b, site-c]; a verdict needs a majority of them");
            return names;
        }
        ListNode list = r.list(n);
        if (list == null) {
            return names;
        }
        for (ConfigNode item : list.items()) {
            String m = r.scalarText(item, true);
            if (m == null) {
                continue;
            }
            if (!NAME.matcher(m).matches()) {
                r.error(item, "'" + m + "' is not a manager name: use letters, digits, '_', '.', '-' (at most 64)");
            } else if (names.contains(m)) {
                r.error(item, "manager " + m + " is listed twice");
            } else {
                names.add(m);
            }
        }
        if (names.isEmpty()) {
            r.error(n, "coordination.managers is empty: list every manager's name, this one's included");
        } else if (self != null && NAME.matcher(self).matches() && !names.contains(self)) {
            r.error(n, "this manager (manager.name " + self + ") is not in coordination.managers " + names
                    + ": add it, or fix the name");
        } else if (names.size() < 3) {
            r.warn(n, names.size() + " manager(s): a majority of them is " + (names.size() / 2 + 1)
                    + ", so one manager down stops every automatic failover"
                    + "; run three managers, at three sites");
        }
        return names;
    }
}
