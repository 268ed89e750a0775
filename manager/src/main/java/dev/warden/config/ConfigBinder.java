package dev.warden.config;

import dev.warden.config.ConfigNode.ListNode;
import dev.warden.config.ConfigNode.MapNode;
import dev.warden.model.InstanceKey;
import dev.warden.model.PromotionRule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns the YAML tree into a {@link WardenConfig}: the schema, defaults, and every validation rule. */
final class ConfigBinder {

    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:%-]{1,255}");

    private final NodeReader r;
    private final String file;

    ConfigBinder(String file, NodeReader reader) {
        this.file = file;
        this.r = reader;
    }

    WardenConfig bind(ConfigNode root) {
        MapNode m = r.map(root);
        if (m == null) {
            return null;
        }
        r.allowOnly(m, "credentials", "probe", "replication", "failover", "switchover", "hooks", "haproxy", "http",
                "users", "tokens", "store", "clusters", "manager", "coordination", "kv", "logging");
        PartialCredentials defaults = credentials(child(m, "credentials"));
        ProbeSettings probe = probe(child(m, "probe"));
        ReplicationSettingsConfig replication = replication(child(m, "replication"));
        FailoverPolicy failover = failover(child(m, "failover"), replication);
        SwitchoverPolicy switchover = switchover(child(m, "switchover"));
        HttpSettings http = http(child(m, "http"));
        StoreSettings store = store(child(m, "store"));
        AccessConfig access = new AccessBinder(r).access(m.get("users"), m.get("tokens"));
        if (!access.enabled() && !http.loopback()) {
            ConfigNode at = child(m, "http") == null ? m : child(m, "http").get("listen");
            r.error(at == null ? m : at, http + " is reachable from other hosts but no users or tokens are "
                    + "configured: add users (password hashes from 'warden passwd') or tokens ('warden token'), or "
                    + "listen on 127.0.0.1");
        }
        List<ClusterConfig> clusters = clusters(m, defaults);
        Set<String> clusterNames = new java.util.HashSet<>();
        clusters.forEach(c -> clusterNames.add(c.name()));
        List<HookConfig> hooks = new HookBinder(r).hooks(m.get("hooks"), clusterNames);
        List<HaproxyConfig> haproxy = new HookBinder(r).haproxy(m.get("haproxy"), clusters);
        CoordinationSettings coordination = new CoordinationBinder(r, this::relative).coordination(m, child(m, "manager"),
                child(m, "coordination"), store);
        KvSettings kv = new KvBinder(r).kv(child(m, "kv"));
        return new WardenConfig(file, probe, replication, failover, switchover, hooks, haproxy, http, access, store,
                clusters, coordination, kv, logging(child(m, "logging")));
    }

    private LogSettings logging(MapNode m) {
        if (m == null) {
            return LogSettings.DEFAULTS;
        }
        r.allowOnly(m, "format", "summary_interval");
        LogSettings d = LogSettings.DEFAULTS;
        return new LogSettings(r.choice(m, "format", d.format(), LogSettings.Format.values(),
                LogSettings.Format::configName), r.duration(m, "summary_interval", d.summaryInterval(),
                Duration.ofSeconds(10), Duration.ofHours(24)));
    }

    private MapNode child(MapNode parent, String key) {
        ConfigNode n = parent.get(key);
        return n == null ? null : r.map(n);
    }

    // ---- credentials ---------------------------------------------------------------------------------

    /** Credentials as written in one place; missing values are inherited from the top level. */
    private record PartialCredentials(String user, String password, String replicationUser,
                                      String replicationPassword, TlsMode tls, Boolean allowPublicKeyRetrieval) {
        static final PartialCredentials NONE = new PartialCredentials(null, null, null, null, null, null);

        PartialCredentials over(PartialCredentials base) {
            return new PartialCredentials(or(user, base.user), or(password, base.password),
                    or(replicationUser, base.replicationUser), or(replicationPassword, base.replicationPassword),
                    or(tls, base.tls), or(allowPublicKeyRetrieval, base.allowPublicKeyRetrieval));
        }

        private static <T> T or(T a, T b) {
            return a != null ? a : b;
        }
    }

    private PartialCredentials credentials(MapNode m) {
        if (m == null) {
            return PartialCredentials.NONE;
        }
        r.allowOnly(m, "user", "password", "replication_user", "replication_password", "tls",
                "allow_public_key_retrieval");
        TlsMode tls = m.get("tls") == null ? null
                : r.choice(m, "tls", TlsMode.PREFERRED, TlsMode.values(), TlsMode::configName);
        Boolean apk = m.get("allow_public_key_retrieval") == null ? null
                : r.bool(m, "allow_public_key_retrieval", false);
        return new PartialCredentials(r.string(m, "user", false), r.string(m, "password", false),
                r.string(m, "replication_user", false), r.string(m, "replication_password", false), tls, apk);
    }

    private Credentials complete(PartialCredentials c, MapNode cluster, String clusterName) {
        List<String> missing = new ArrayList<>();
        if (c.user == null) missing.add("user");
        if (c.password == null) missing.add("password");
        if (c.replicationUser == null) missing.add("replication_user");
        if (c.replicationPassword == null) missing.add("replication_password");
        if (!missing.isEmpty()) {
            r.error(cluster.location(), cluster.path(), "no credentials." + String.join(", credentials.", missing)
                    + " for cluster '" + clusterName + "'; set them at the top level or in clusters." + clusterName
                    + ".credentials");
            return null;
        }
        return new Credentials(c.user, Secret.of(c.password), c.replicationUser, Secret.of(c.replicationPassword),
                c.tls == null ? TlsMode.PREFERRED : c.tls,
                c.allowPublicKeyRetrieval != null && c.allowPublicKeyRetrieval);
    }

    // ---- probe, replication, http --------------------------------------------------------------------

    private ProbeSettings probe(MapNode m) {
        ProbeSettings d = ProbeSettings.DEFAULTS;
        if (m == null) {
            return d;
        }
        r.allowOnly(m, "interval", "connect_timeout", "read_timeout", "write_timeout", "write_heartbeat",
                "suspect_interval", "watch_primary");
        Duration interval = r.duration(m, "interval", d.interval(), Duration.ofMillis(100), Duration.ofMinutes(1));
        Duration connect = r.duration(m, "connect_timeout", d.connectTimeout(), Duration.ofMillis(20),
                Duration.ofSeconds(30));
        Duration read = r.duration(m, "read_timeout", d.readTimeout(), Duration.ofMillis(50), Duration.ofSeconds(60));
        Duration write = r.duration(m, "write_timeout", d.writeTimeout(), Duration.ofMillis(20),
                Duration.ofSeconds(30));
        boolean heartbeat = r.bool(m, "write_heartbeat", d.writeHeartbeat());
        Duration suspect = r.duration(m, "suspect_interval", d.suspectInterval(), Duration.ofMillis(10),
                Duration.ofSeconds(10));
        boolean watch = r.bool(m, "watch_primary", d.watchPrimary());
        if (connect.compareTo(read) > 0) {
            r.error(m, "probe.connect_timeout (" + DurationText.format(connect) + ") must not exceed probe.read_timeout ("
                    + DurationText.format(read) + "): the read timeout bounds the whole probe, connect included");
        }
        Duration cycle = heartbeat ? read.plus(write) : read;
        if (cycle.compareTo(interval) >= 0) {
            r.error(m, "probe.read_timeout" + (heartbeat ? " + probe.write_timeout (" : " (") + DurationText.format(cycle)
                    + ") must be shorter than probe.interval (" + DurationText.format(interval)
                    + "): a probe cycle must end before the next one starts");
        }
        return new ProbeSettings(interval, connect, read, write, heartbeat, suspect, watch);
    }

    private ReplicationSettingsConfig replication(MapNode m) {
        ReplicationSettingsConfig d = ReplicationSettingsConfig.DEFAULTS;
        if (m == null) {
            return d;
        }
        r.allowOnly(m, "heartbeat_period", "connect_retry", "retry_count", "enforce_heartbeat_period");
        return new ReplicationSettingsConfig(
                r.duration(m, "heartbeat_period", d.heartbeatPeriod(), Duration.ofMillis(100), Duration.ofMinutes(5)),
                r.integer(m, "connect_retry", d.connectRetry(), 1, 3600, true),
                r.integer(m, "retry_count", d.retryCount(), 1, 31_536_000, true),
                r.bool(m, "enforce_heartbeat_period", d.enforceHeartbeatPeriod()));
    }

    private FailoverPolicy failover(MapNode m, ReplicationSettingsConfig replication) {
        FailoverPolicy d = FailoverPolicy.defaults(replication.heartbeatPeriod());
        if (m == null) {
            return d;
        }
        r.allowOnly(m, "automatic", "confirmation_window", "replica_silence", "max_candidate_lag", "lag_warning",
                "anti_flap", "rejoin_old_primary", "fence_timeout", "catch_up_timeout", "promote_timeout",
                "repoint_timeout", "retry_interval", "mode");
        Duration silence = r.duration(m, "replica_silence", d.replicaSilence(), Duration.ofMillis(100),
                Duration.ofMinutes(10));
        // An idle healthy replica hears nothing for up to one period, and without the replica's own clock (MariaDB)
        // its silence can be over-estimated by up to one more (ReceiverTrack): the limit must exceed two periods.
        if (silence.compareTo(replication.heartbeatPeriod().multipliedBy(2)) <= 0) {
            r.error(m.get("replica_silence") == null ? m : m.get("replica_silence"), "failover.replica_silence ("
                    + DurationText.format(silence) + ") must be longer than twice replication.heartbeat_period ("
                    + DurationText.format(replication.heartbeatPeriod()) + "), or a healthy replica could look "
                    + "cut off between two heartbeats; 3 heartbeat periods is a good value");
        }
        return new FailoverPolicy(
                r.bool(m, "automatic", d.automatic()),
                r.duration(m, "confirmation_window", d.confirmationWindow(), Duration.ZERO, Duration.ofMinutes(10)),
                silence,
                r.duration(m, "max_candidate_lag", d.maxCandidateLag(), Duration.ofSeconds(1), Duration.ofDays(1)),
                r.duration(m, "lag_warning", d.lagWarning(), Duration.ofMillis(100), Duration.ofDays(1)),
                r.duration(m, "anti_flap", d.antiFlap(), Duration.ZERO, Duration.ofDays(7)),
                r.bool(m, "rejoin_old_primary", d.rejoinOldPrimary()),
                r.duration(m, "fence_timeout", d.fenceTimeout(), Duration.ofMillis(100), Duration.ofMinutes(5)),
                r.duration(m, "catch_up_timeout", d.catchUpTimeout(), Duration.ofMillis(100), Duration.ofHours(1)),
                r.duration(m, "promote_timeout", d.promoteTimeout(), Duration.ofMillis(100), Duration.ofMinutes(5)),
                r.duration(m, "repoint_timeout", d.repointTimeout(), Duration.ofMillis(100), Duration.ofMinutes(5)),
                r.duration(m, "retry_interval", d.retryInterval(), Duration.ZERO, Duration.ofHours(24)),
                observeMode(m));
    }

    /** failover.mode: act (the default) or observe. */
    private boolean observeMode(MapNode m) {
        String mode = r.string(m, "mode", false);
        if (mode == null || mode.trim().equals("act")) {
            return false;
        }
        if (mode.trim().equals("observe")) {
            return true;
        }
        r.error(m.get("mode"), "'" + mode + "' is not a mode; write act (the default: Warden fails over) or observe "
                + "(Warden decides and records what it would do, and changes nothing)");
        return false;
    }

    private SwitchoverPolicy switchover(MapNode m) {
        SwitchoverPolicy d = SwitchoverPolicy.DEFAULTS;
        if (m == null) {
            return d;
        }
        r.allowOnly(m, "max_lag", "kill_grace", "catch_up_timeout");
        return new SwitchoverPolicy(
                r.duration(m, "max_lag", d.maxLag(), Duration.ofMillis(100), Duration.ofHours(1)),
                r.duration(m, "kill_grace", d.killGrace(), Duration.ZERO, Duration.ofMinutes(1)),
                r.duration(m, "catch_up_timeout", d.catchUpTimeout(), Duration.ofMillis(100), Duration.ofMinutes(10)));
    }

    private HttpSettings http(MapNode m) {
        if (m == null) {
            return HttpSettings.DEFAULTS;
        }
        r.allowOnly(m, "listen", "tls", "session_timeout", "client_token_file", "lb_checks");
        String host = HttpSettings.DEFAULTS.host();
        int port = HttpSettings.DEFAULTS.port();
        String listen = r.string(m, "listen", false);
        if (listen != null) {
            int colon = listen.lastIndexOf(':');
            try {
                host = listen.substring(0, colon).trim();
                port = Integer.parseInt(listen.substring(colon + 1).trim());
                if (host.isEmpty() || port < 0 || port > 65535) {
                    throw new IllegalArgumentException();
                }
            } catch (RuntimeException e) {
                r.error(m.get("listen"), "'" + listen + "' is not host:port; write it like 127.0.0.1:8080 "
                        + "(port 0 picks a free port)");
                host = HttpSettings.DEFAULTS.host();
                port = HttpSettings.DEFAULTS.port();
            }
        }
        TlsSettings tls = null;
        MapNode t = child(m, "tls");
        if (t != null) {
            r.allowOnly(t, "keystore", "password");
            String ks = r.string(t, "keystore", true);
            String pw = r.string(t, "password", true);
            if (ks != null && pw != null) {
                Path p = relative(Path.of(ks));
                if (!java.nio.file.Files.isReadable(p)) {
                    r.error(t.get("keystore"), p + " does not exist or cannot be read; make one with keytool "
                            + "(see README, 'Access control')");
                }
                tls = new TlsSettings(p, Secret.of(pw));
            }
        }
        Duration session = r.duration(m, "session_timeout", HttpSettings.DEFAULT_SESSION, Duration.ofMinutes(5),
                Duration.ofDays(30));
        String tokenFile = r.string(m, "client_token_file", false);
        return new HttpSettings(host, port, tls, session, tokenFile == null ? null : relative(Path.of(tokenFile)),
                lbChecks(child(m, "lb_checks")));
    }

    private LbChecks lbChecks(MapNode m) {
        if (m == null) {
            return LbChecks.DEFAULTS;
        }
        r.allowOnly(m, "allow", "max_lag");
        List<LbChecks.Network> allow = new ArrayList<>();
        ConfigNode n = m.get("allow");
        ListNode l = n == null ? null : r.list(n);
        if (l != null) {
            for (ConfigNode item : l.items()) {
                String v = r.scalarText(item, true);
                if (v == null) {
                    continue;
                }
                try {
                    allow.add(LbChecks.Network.parse(v));
                } catch (IllegalArgumentException e) {
                    r.error(item, e.getMessage());
                }
            }
        }
        Duration maxLag = r.duration(m, "max_lag", LbChecks.DEFAULT_MAX_LAG, Duration.ofMillis(100),
                Duration.ofHours(1));
        return new LbChecks(allow, maxLag);
    }

    /** A path relative to the configuration file's directory. */
    private Path relative(Path p) {
        Path dir = Path.of(file).toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p);
    }

    // ---- store ---------------------------------------------------------------------------------------

    /** SQLite next to the configuration file unless told otherwise. */
    private StoreSettings store(MapNode m) {
        Path dir = Path.of(file).toAbsolutePath().getParent();
        Path dflt = (dir == null ? Path.of("") : dir).resolve("warden.db");
        if (m == null) {
            return StoreSettings.sqlite(dflt);
        }
        r.allowOnly(m, "path", "mysql", "retention");
        Duration retention = r.duration(m, "retention", StoreSettings.DEFAULT_RETENTION, Duration.ofHours(1),
                Duration.ofDays(3650));
        String path = r.string(m, "path", false);
        MapNode mysql = child(m, "mysql");
        if (mysql == null) {
            Path p = path == null ? dflt : Path.of(path);
            if (!p.isAbsolute() && dir != null) {
                p = dir.resolve(p);
            }
            return new StoreSettings(p, null, null, null, retention);
        }
        if (path != null) {
            r.error(m.get("path"), "set either store.path (SQLite) or store.mysql, not both");
        }
        r.allowOnly(mysql, "url", "user", "password");
        String url = r.string(mysql, "url", true);
        String user = r.string(mysql, "user", true);
        String password = r.string(mysql, "password", true);
        if (url != null && !url.matches("jdbc:mysql://[^/]+/[A-Za-z0-9_$]+(\\?.*)?")) {
            r.error(mysql.get("url"), "'" + url + "' is not a MySQL JDBC URL with a schema; write it like "
                    + "jdbc:mysql://db.example:3306/warden");
        }
        return new StoreSettings(null, url, user, password == null ? null : Secret.of(password), retention);
    }

    // ---- clusters ------------------------------------------------------------------------------------

    private List<ClusterConfig> clusters(MapNode root, PartialCredentials defaults) {
        ConfigNode n = root.get("clusters");
        if (n == null) {
            r.error(root.location(), "clusters", "is required: list at least one cluster with its servers");
            return List.of();
        }
        MapNode m = r.map(n);
        if (m == null) {
            return List.of();
        }
        if (m.entries().isEmpty()) {
            r.error(m, "has no clusters; add one, like 'main: {servers: [127.0.0.1:3306]}'");
        }
        List<ClusterConfig> out = new ArrayList<>();
        Map<InstanceKey, String> owner = new HashMap<>();
        m.entries().forEach((name, node) -> {
            if (!CLUSTER_NAME.matcher(name).matches()) {
                r.error(m.keyLocations().get(name), node.path(), "cluster name '" + name
                        + "' may use letters, digits, '_', '.', '-' (at most 64, starting with a letter or digit)");
            }
            ClusterConfig c = cluster(name, node, defaults, owner);
            if (c != null) {
                out.add(c);
            }
        });
        return out;
    }

    private ClusterConfig cluster(String name, ConfigNode node, PartialCredentials defaults,
                                  Map<InstanceKey, String> owner) {
        MapNode m = r.map(node);
        if (m == null) {
            return null;
        }
        r.allowOnly(m, "servers", "credentials");
        MapNode credNode = child(m, "credentials");
        Credentials creds = complete(credentials(credNode).over(defaults), m, name);
        List<ServerConfig> servers = servers(m, owner, name);
        if (!servers.isEmpty() && servers.stream().allMatch(s -> s.promotion() == PromotionRule.MUST_NOT)) {
            r.warn(m, "every server of cluster '" + name + "' is must_not: Warden will never promote a replica here");
        }
        return creds == null ? null : new ClusterConfig(name, creds, servers);
    }

    private List<ServerConfig> servers(MapNode cluster, Map<InstanceKey, String> owner, String clusterName) {
        ConfigNode n = cluster.get("servers");
        if (n == null) {
            r.error(cluster.location(), ConfigNode.child(cluster.path(), "servers"),
                    "is required: list the cluster's servers (host and port)");
            return List.of();
        }
        ListNode l = r.list(n);
        if (l == null) {
            return List.of();
        }
        if (l.items().isEmpty()) {
            r.error(l, "is empty; list at least the primary");
        }
        List<ServerConfig> out = new ArrayList<>();
        Map<InstanceKey, ConfigNode> seen = new HashMap<>();
        for (ConfigNode item : l.items()) {
            ServerConfig s = server(item);
            if (s == null) {
                continue;
            }
            if (seen.containsKey(s.key())) {
                r.error(item, s.key() + " is listed twice (first at line " + seen.get(s.key()).location().line()
                        + ")");
                continue;
            }
            String other = owner.putIfAbsent(s.key(), clusterName);
            if (other != null && !other.equals(clusterName)) {
                r.error(item, s.key() + " is already a server of cluster '" + other
                        + "'; a server belongs to one cluster");
                continue;
            }
            seen.put(s.key(), item);
            out.add(s);
        }
        return out;
    }

    private ServerConfig server(ConfigNode item) {
        if (item instanceof ConfigNode.ScalarNode) {
            String text = r.scalarText(item, true);
            if (text == null) {
                return null;
            }
            try {
                InstanceKey k = InstanceKey.parse(text);
                return checkHost(item, k) ? new ServerConfig(k, PromotionRule.NEUTRAL, 0, item.location()) : null;
            } catch (IllegalArgumentException e) {
                r.error(item, e.getMessage() + "; write host:port or a map with host and port");
                return null;
            }
        }
        MapNode m = r.map(item);
        if (m == null) {
            return null;
        }
        r.allowOnly(m, "host", "port", "promotion", "priority");
        String host = r.string(m, "host", true);
        int port = r.integer(m, "port", -1, 1, 65535, false);
        if (m.get("port") == null) {
            r.error(m.location(), ConfigNode.child(m.path(), "port"), "is required (MySQL's usual port is 3306)");
        }
        PromotionRule rule = r.choice(m, "promotion", PromotionRule.NEUTRAL, PromotionRule.values(),
                PromotionRule::configName);
        int priority = r.integer(m, "priority", 0, -1000, 1000, true);
        if (host == null || port < 1) {
            return null;
        }
        InstanceKey k = new InstanceKey(host, port);
        return checkHost(m, k) ? new ServerConfig(k, rule, priority, m.location()) : null;
    }

    private boolean checkHost(ConfigNode at, InstanceKey k) {
        if (!HOST.matcher(k.host()).matches()) {
            r.error(at, "host '" + k.host() + "' may contain only letters, digits and . - _ : %");
            return false;
        }
        return true;
    }
}
