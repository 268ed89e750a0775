package dev.warden.coordination;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.config.CoordinationSettings;
import dev.warden.decision.Leadership;
import dev.warden.decision.ManagerObservation;
import dev.warden.decision.ManagerPeers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Coordination on ZooKeeper through Curator. Under {@code coordination.zookeeper.root}:
 * <ul>
 * <li>{@code /managers/<name>}: ephemeral, who is up and where its console is;</li>
 * <li>{@code /clusters/<c>/leader}: a {@link LeaderLatch} per cluster, so N managers share the clusters;</li>
 * <li>{@code /clusters/<c>/epoch}: the fencing epoch, raised by each new leader in a transaction that also checks
 * its latch node, so an epoch belongs to exactly one leadership;</li>
 * <li>{@code /clusters/<c>/observations/<name>}: ephemeral, each manager's last observation of the cluster.</li>
 * </ul>
 * Leadership ends at once when the connection is suspended (Curator's standard error policy), long before the
 * session expires and another manager can lead; {@link Seat#prove} checks the latch node and the epoch's version
 * in one multi before every step.
 */
public final class ZkCoordination implements Coordination {

    private static final Logger log = LoggerFactory.getLogger(ZkCoordination.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CoordinationSettings settings;
    private final CuratorFramework client;
    private final Duration freshness;
    private final Map<String, ZkSeat> seats = new LinkedHashMap<>();
    private final CuratorCache cache;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coordination-refresh");
        t.setDaemon(true);
        return t;
    });
    /** Null while connected; else since when and why not. */
    private volatile String problem = "not connected to ZooKeeper yet";
    /** Who wants to know how long ZooKeeper round trips take, by kind ("prove", "read"). */
    private final Map<String, java.util.List<java.util.function.Consumer<Duration>>> roundTrips =
            new ConcurrentHashMap<>();
    /** The managers registered now (up), with their console URLs (may be empty). */
    private volatile Map<String, String> registered = Map.of();

    /**
     * Connects (without waiting: a manager that cannot reach ZooKeeper still watches and serves) and joins the
     * election of every cluster.
     *
     * @param freshness an observation older than this counts as neither a confirmation nor a veto
     */
    public ZkCoordination(CoordinationSettings settings, List<String> clusters, String url, Duration freshness) {
        this.settings = settings;
        this.freshness = freshness;
        client = client(settings);
        client.getConnectionStateListenable().addListener((c, state) -> connectionChanged(state, url));
        client.start();
        for (String cluster : clusters) {
            seats.put(cluster, new ZkSeat(cluster));
        }
        cache = CuratorCache.build(client, "/clusters");
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((before, after) -> heard(after))
                .forDeletes(this::forgotten)
                .build());
        cache.start();
        seats.values().forEach(ZkSeat::start);
        refresher.scheduleWithFixedDelay(this::refresh, 0, 250, TimeUnit.MILLISECONDS);
        log.info("Coordination: manager {} of {} on ZooKeeper {}{} (session timeout {} ms); {} cluster(s) to lead "
                        + "or follow.", settings.manager(), settings.managers(), settings.connect(), settings.root(),
                settings.sessionTimeout().toMillis(), clusters.size());
    }

    /** A client for the settings (namespace, timeouts, digest auth with creator-only ACLs); not started. */
    static CuratorFramework client(CoordinationSettings settings) {
        CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
                .connectString(settings.connect())
                // Only the configured addresses: Curator would otherwise replace them with the client addresses
                // in the ensemble's own configuration (/zookeeper/config) and bypass whatever path the operator
                // configured (a proxy, a TLS terminator, other names); seen in a test whose relays were bypassed.
                .ensembleTracker(false)
                .namespace(settings.root().substring(1))
                .sessionTimeoutMs((int) settings.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) settings.connectionTimeout().toMillis())
                .retryPolicy(new BoundedExponentialBackoffRetry(100, 1000, 3));
        if (settings.tls() != null) {
            b.zkClientConfig(tlsConfig(settings.tls()));
        }
        if (settings.digestAuth() != null) {
            b.authorization("digest", settings.digestAuth().reveal().getBytes(StandardCharsets.UTF_8))
                    .aclProvider(new org.apache.curator.framework.api.ACLProvider() {
                        @Override
                        public List<org.apache.zookeeper.data.ACL> getDefaultAcl() {
                            return ZooDefs.Ids.CREATOR_ALL_ACL;
                        }

                        @Override
                        public List<org.apache.zookeeper.data.ACL> getAclForPath(String path) {
                            return ZooDefs.Ids.CREATOR_ALL_ACL;
                        }
                    });
        }
        return b.build();
    }

    /** TLS through ZooKeeper's Netty client, with the configured stores (types from their extensions). */
    static org.apache.zookeeper.client.ZKClientConfig tlsConfig(dev.warden.config.ZkTls tls) {
        org.apache.zookeeper.client.ZKClientConfig c = new org.apache.zookeeper.client.ZKClientConfig();
        c.setProperty(org.apache.zookeeper.client.ZKClientConfig.SECURE_CLIENT, "true");
        c.setProperty(org.apache.zookeeper.client.ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET,
                org.apache.zookeeper.ClientCnxnSocketNetty.class.getName());
        try (org.apache.zookeeper.common.ClientX509Util x = new org.apache.zookeeper.common.ClientX509Util()) {
            // Every value set, empty when not configured: a ZKClientConfig starts from the JVM's zookeeper.ssl.*
            // system properties, which must not add a store the configuration does not name.
            c.setProperty(x.getSslTruststoreLocationProperty(), tls.trustStore().toString());
            c.setProperty(x.getSslTruststoreTypeProperty(), dev.warden.config.ZkTls.type(tls.trustStore()));
            c.setProperty(x.getSslTruststorePasswdProperty(), reveal(tls.trustStorePassword()));
            c.setProperty(x.getSslKeystoreLocationProperty(), tls.keyStore() == null ? ""
                    : tls.keyStore().toString());
            c.setProperty(x.getSslKeystoreTypeProperty(), tls.keyStore() == null ? ""
                    : dev.warden.config.ZkTls.type(tls.keyStore()));
            c.setProperty(x.getSslKeystorePasswdProperty(), reveal(tls.keyStorePassword()));
            c.setProperty(x.getSslHostnameVerificationEnabledProperty(), Boolean.toString(tls.hostnameVerification()));
        }
        return c;
    }

    private static String reveal(dev.warden.config.Secret s) {
        return s == null ? "" : s.reveal();
    }

    private void connectionChanged(ConnectionState state, String url) {
        switch (state) {
            case CONNECTED, RECONNECTED -> {
                seats.values().forEach(ZkSeat::forgetPublished);
                problem = null;
                log.info("Coordination: {} to ZooKeeper {}.", state == ConnectionState.CONNECTED ? "connected"
                        : "reconnected", settings.connect());
                registerSelf(url);
            }
            case SUSPENDED -> {
                problem = "the connection to ZooKeeper " + settings.connect() + " is suspended since "
                        + Instant.now();
                log.warn("Coordination: connection to ZooKeeper suspended: this manager leads nothing until it is "
                        + "back.");
            }
            case LOST -> {
                problem = "the ZooKeeper session was lost (" + settings.connect() + ") at " + Instant.now();
                log.warn("Coordination: ZooKeeper session lost: this manager leads nothing; it will join the "
                        + "elections again when it reconnects.");
            }
            default -> {
            }
        }
    }

    private void registerSelf(String url) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("name", settings.manager());
        me.put("url", url);
        me.put("pid", ProcessHandle.current().pid());
        me.put("since", Instant.now().toString());
        try {
            byte[] data = JSON.writeValueAsBytes(me);
            String path = "/managers/" + settings.manager();
            try {
                client.create().orSetData().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                        .inBackground().forPath(path, data);
            } catch (Exception e) {
                log.warn("Coordination: cannot register this manager: {}", e.toString());
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onRoundTrip(String kind, java.util.function.Consumer<Duration> listener) {
        roundTrips.computeIfAbsent(kind, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(listener);
    }

    private void tookRoundTrip(String kind, long startNanos) {
        Duration d = Duration.ofNanos(System.nanoTime() - startNanos);
        for (java.util.function.Consumer<Duration> l : roundTrips.getOrDefault(kind, java.util.List.of())) {
            l.accept(d);
        }
    }

    /** For tests that expire this manager's session. */
    CuratorFramework curator() {
        return client;
    }

    /** What the coordination says when it cannot be used, or null. */
    public String problem() {
        return problem;
    }

    @Override
    public Seat seat(String cluster) {
        ZkSeat s = seats.get(cluster);
        if (s == null) {
            throw new IllegalArgumentException("no seat for cluster " + cluster);
        }
        return s;
    }

    @Override
    public String self() {
        return settings.manager();
    }

    @Override
    public List<ManagerInfo> managers() {
        List<ManagerInfo> out = new ArrayList<>();
        Map<String, String> urls = registered;
        for (String m : settings.managers()) {
            List<String> leads = new ArrayList<>();
            long epoch = 0;
            Long age = null;
            for (ZkSeat s : seats.values()) {
                if (m.equals(s.leader)) {
                    leads.add(s.cluster);
                    epoch = Math.max(epoch, s.epochSeen);
                }
                Heard h = s.heard.get(m);
                if (h != null) {
                    long a = (System.nanoTime() - h.changedAt) / 1_000_000;
                    age = age == null ? a : Math.min(age, a);
                }
            }
            boolean up = m.equals(settings.manager()) ? problem == null : urls.containsKey(m);
            out.add(new ManagerInfo(m, urls.get(m) == null || urls.get(m).isEmpty() ? null : urls.get(m), up, leads, epoch, m.equals(settings.manager()) ? Long.valueOf(0)
                    : age));
        }
        return out;
    }

    /** Every 250 ms: who leads each cluster and at which epoch (for followers and the surfaces). */
    private void refresh() {
        if (problem != null) {
            return;
        }
        try {
            Map<String, String> up = new LinkedHashMap<>();
            for (String m : client.getChildren().forPath("/managers")) {
                byte[] d = client.getData().forPath("/managers/" + m);
                Object url = JSON.readValue(d, Map.class).get("url");
                up.put(m, url == null ? "" : url.toString());
            }
            registered = up;
        } catch (Exception e) {
            log.debug("Coordination: reading the managers: {}", e.toString());
        }
        for (ZkSeat s : seats.values()) {
            try {
                s.refresh();
            } catch (Exception e) {
                log.debug("Coordination: refreshing {}: {}", s.cluster, e.toString());
            }
        }
    }

    // ---- observations ------------------------------------------------------------------------------------

    private record Heard(ManagerObservation observation, long changedAt) {
    }

    private void heard(ChildData d) {
        ZKPaths.PathAndNode pn = ZKPaths.getPathAndNode(d.getPath());
        String parent = pn.getPath();
        if (!parent.endsWith("/observations") || d.getData() == null || d.getData().length == 0) {
            return;
        }
        String cluster = ZKPaths.getNodeFromPath(ZKPaths.getPathAndNode(parent).getPath());
        ZkSeat s = seats.get(cluster);
        if (s == null || pn.getNode().equals(settings.manager())) {
            return;
        }
        try {
            ManagerObservation o = JSON.readValue(d.getData(), ManagerObservation.class);
            Heard before = s.heard.get(pn.getNode());
            s.heard.compute(pn.getNode(), (k, was) -> was != null && was.observation().cycle() == o.cycle()
                    ? was : new Heard(o, System.nanoTime()));
            if (before == null || before.observation().confirmsGone() != o.confirmsGone()
                    || !java.util.Objects.equals(before.observation().primary(), o.primary())) {
                // A manager now confirms the primary gone (or no longer does, or names another primary): the
                // cluster's cycle runs now rather than at its next interval, so the verdict does not wait for it.
                // Not on every change of reach: a reach that flaps must not make the managers wake each other.
                s.peerChanged.run();
            }
        } catch (java.io.IOException e) {
            log.warn("Coordination: unreadable observation at {}: {}", d.getPath(), e.getMessage());
        }
    }

    /** What an observation says about the primary (a change in it is worth deciding again for). */
    static String verdict(ManagerObservation o) {
        return o.primary() + " " + o.reach() + " " + o.confirmsGone();
    }

    private void forgotten(ChildData d) {
        ZKPaths.PathAndNode pn = ZKPaths.getPathAndNode(d.getPath());
        if (pn.getPath().endsWith("/observations")) {
            String cluster = ZKPaths.getNodeFromPath(ZKPaths.getPathAndNode(pn.getPath()).getPath());
            ZkSeat s = seats.get(cluster);
            if (s != null) {
                s.heard.remove(pn.getNode());
            }
        }
    }

    // ---- one cluster ---------------------------------------------------------------------------------------

    private final class ZkSeat implements Seat, LeaderLatchListener {
        final String cluster;
        final String base;
        final String epochPath;
        final LeaderLatch latch;
        final Map<String, Heard> heard = new ConcurrentHashMap<>();
        volatile Runnable peerChanged = () -> { };
        /** This manager's leadership: its epoch, the epoch node's version it set, and its latch node then. */
        volatile long epoch;
        volatile int epochVersion = -1;
        volatile String latchNode;
        /** The ZooKeeper session under which the epoch was raised: a proof must run under the same one. */
        volatile long leaderSession;
        volatile String leader;
        volatile long epochSeen;

        ZkSeat(String cluster) {
            this.cluster = cluster;
            this.base = "/clusters/" + cluster;
            this.epochPath = base + "/epoch";
            this.latch = new LeaderLatch(client, base + "/leader", settings.manager(), LeaderLatch.CloseMode.NOTIFY_LEADER);
            latch.addListener(this, Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "leadership-" + cluster);
                t.setDaemon(true);
                return t;
            }));
        }

        void start() {
            try {
                latch.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot join the election of cluster " + cluster + ": " + e, e);
            }
        }

        @Override
        public void isLeader() {
            raiseEpoch(10, false);
        }

        @Override
        public void notLeader() {
            if (epoch != 0) {
                log.warn("Cluster {}: this manager no longer leads it (epoch {} ended); it watches and votes.",
                        cluster, epoch);
            }
            epoch = 0;
            epochVersion = -1;
            latchNode = null;
        }

        /**
         * A new leadership: the epoch goes up by one, in a transaction that fails if the latch node is gone. Called
         * when the latch makes this manager leader, and again by every refresh while the latch says it leads but no
         * epoch was raised under the current session (a raise that failed or gave up must not leave a leader that
         * never acts and that nobody else can replace).
         */
        private synchronized void raiseEpoch(int attempts, boolean quiet) {
            if (leadsUnderThisSession()) {
                return;
            }
            for (int attempt = 0; attempt < attempts && latch.hasLeadership(); attempt++) {
                try {
                    try {
                        client.create().creatingParentContainersIfNeeded().forPath(epochPath,
                                "0".getBytes(StandardCharsets.UTF_8));
                    } catch (KeeperException.NodeExistsException exists) {
                        // usual
                    }
                    Stat st = new Stat();
                    byte[] d = client.getData().storingStatIn(st).forPath(epochPath);
                    long next = parseEpoch(d) + 1;
                    String ours = latch.getOurPath();
                    if (ours == null) {
                        return;
                    }
                    CuratorOp check = client.transactionOp().check().forPath(ours);
                    CuratorOp set = client.transactionOp().setData().withVersion(st.getVersion())
                            .forPath(epochPath, (next + " " + settings.manager()).getBytes(StandardCharsets.UTF_8));
                    long session = sessionId();
                    Stat mine = client.checkExists().forPath(ours);
                    if (mine == null || mine.getEphemeralOwner() != session) {
                        // A latch node left by an ended session (its removal not yet done): not a leadership of this
                        // session; the latch resets and the election goes on.
                        if (!quiet) {
                            log.warn("Cluster {}: the latch node {} is not this session's; not leading with it.",
                                    cluster, ours);
                        }
                        return;
                    }
                    if (!firstInElection(ours)) {
                        // The latch said so when this attempt began, but it has reset since (a new node, behind
                        // another manager's): raising now would end the real leader's epoch.
                        return;
                    }
                    client.transaction().forOperations(check, set);
                    if (session == 0 || session != sessionId()) {
                        // The epoch went up, but not provably under the session that holds the latch node: this
                        // leadership is not used; the next one raises the epoch again.
                        if (!quiet) {
                            log.warn("Cluster {}: the ZooKeeper session changed while the epoch was raised; not "
                                    + "leading with it.", cluster);
                        }
                        return;
                    }
                    leaderSession = session;
                    latchNode = ours;
                    epochVersion = st.getVersion() + 1;
                    epoch = next;
                    leader = settings.manager();
                    epochSeen = next;
                    log.info("Cluster {}: this manager ({}) leads it now, epoch {}.", cluster, settings.manager(), next);
                    // The first proof of a JVM loads and links the transaction code (a few hundred ms on a small
                    // machine): done now, not before the first step of a failover.
                    try {
                        prove(next, false);
                    } catch (NotLeading lost) {
                        log.warn("Cluster {}: epoch {} could not be proved right after it was raised: {}", cluster,
                                next, lost.getMessage());
                    }
                    return;
                } catch (KeeperException.BadVersionException race) {
                    // another epoch write in between: read again
                } catch (KeeperException.NoNodeException gone) {
                    return; // our latch node is gone: not the leader any more
                } catch (Exception e) {
                    if (!quiet) {
                        log.warn("Cluster {}: leading, but the epoch could not be raised: {}", cluster, e.toString());
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        /**
         * Whether {@code ours} is the first node of the election now. A node with a lower sequence number cannot
         * appear later, so first now and still there when the raise's transaction checks it means leader then.
         */
        private boolean firstInElection(String ours) throws Exception {
            String mine = ZKPaths.getNodeFromPath(ours);
            String first = null;
            for (String child : client.getChildren().forPath(base + "/leader")) {
                if (first == null || sequence(child).compareTo(sequence(first)) < 0) {
                    first = child;
                }
            }
            return mine.equals(first);
        }

        /** Set while a leadership without an epoch was reported, so that it is said once, not every refresh. */
        private boolean stuckSaid;

        private synchronized void raiseIfStuck() {
            if (!latch.hasLeadership() || leadsUnderThisSession()) {
                stuckSaid = false;
                return;
            }
            if (!stuckSaid) {
                log.warn("Cluster {}: the election made this manager leader but it holds no epoch under its ZooKeeper "
                        + "session; raising the epoch again (it acts only once that succeeds).", cluster);
                stuckSaid = true;
            }
            raiseEpoch(1, true);
        }

        /** Whether this manager's epoch was raised under the session that holds its latch node now. */
        private boolean leadsUnderThisSession() {
            return leadsUnderThisSession(epoch);
        }

        private boolean leadsUnderThisSession(long e) {
            String node = latchNode;
            return e > 0 && node != null && node.equals(latch.getOurPath()) && leaderSession == sessionId();
        }

        void refresh() throws Exception {
            raiseIfStuck();
            String was = leader;
            String now = latch.getLeader().isLeader() ? latch.getLeader().getId() : null;
            long t0 = System.nanoTime();
            Stat st = client.checkExists().forPath(epochPath);
            tookRoundTrip("read", t0);
            if (st != null) {
                epochSeen = parseEpoch(client.getData().forPath(epochPath));
            }
            leader = now;
            if (now != null && !now.equals(was) && !now.equals(settings.manager())) {
                log.info("Cluster {}: led by {} (epoch {}); this manager follows: it watches and votes.", cluster, now,
                        epochSeen);
            }
        }

        @Override
        public Leadership leadership() {
            String p = problem;
            if (p != null) {
                return new Leadership(false, epochSeen, leader, p);
            }
            long e = epoch;
            boolean leads = latch.hasLeadership() && leadsUnderThisSession(e);
            return new Leadership(leads, leads ? e : epochSeen, leads ? settings.manager() : leader, null);
        }

        @Override
        public void prove(long e) {
            prove(e, true);
        }

        /** @param record whether the round trip counts in the latency figures (not the warm-up after a raise) */
        private void prove(long e, boolean record) {
            String p = problem;
            if (p != null) {
                throw new NotLeading(p);
            }
            String node = latchNode;
            int version = epochVersion;
            long session = leaderSession;
            if (e <= 0 || e != epoch || node == null) {
                throw new NotLeading("this manager no longer leads cluster " + cluster + " with epoch " + e
                        + " (its epoch now: " + epoch + ")");
            }
            try {
                // Under the session that holds the latch node, before and after: an expired session's ephemeral
                // node may outlive it on the servers for a moment, and a new session must not prove the old one.
                if (sessionId() != session) {
                    throw new IllegalStateException("the ZooKeeper session of this leadership ended");
                }
                long t0 = System.nanoTime();
                client.transaction().forOperations(client.transactionOp().check().forPath(node),
                        client.transactionOp().check().withVersion(version).forPath(epochPath));
                if (record) {
                    tookRoundTrip("prove", t0);
                }
                if (sessionId() != session) {
                    throw new IllegalStateException("the ZooKeeper session of this leadership ended");
                }
            } catch (Exception ex) {
                if (ex instanceof KeeperException.BadVersionException && epoch == e) {
                    // Another raise ended this epoch while the latch still names this manager: not a leadership
                    // any more; the next refresh raises a new one if the latch still says so.
                    epoch = 0;
                }
                throw new NotLeading("ZooKeeper refused epoch " + e + " of cluster " + cluster + " ("
                        + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage())
                        + "): another manager leads it, or this one is cut off");
            }
        }

        /** What was last published (primary, reach, verdict) and when (nanoTime): an unchanged one waits. */
        private final Object publishing = new Object();
        private volatile String publishedKey;
        private long publishedAt;

        /** After a reconnection or a failed write, the next observation is published whatever it says. */
        void forgetPublished() {
            publishedKey = null;
        }

        /**
         * Publishes the observation when what it says changed (its primary, how it reaches it, whether it confirms
         * the primary gone), and otherwise at most every third of the freshness limit, so the others keep hearing
         * it: while the primary looks gone, a manager cycles every few tens of ms, and a ZooKeeper write per cycle
         * per manager (each synced to disk by a quorum of servers) would slow every other round trip, the leader's
         * proofs included.
         */
        @Override
        public void publish(ManagerObservation o) {
            if (problem != null) {
                return;
            }
            String key = verdict(o);
            synchronized (publishing) {
                long now = System.nanoTime();
                if (key.equals(publishedKey) && now - publishedAt < freshness.toNanos() / 3) {
                    return;
                }
                publishedKey = key;
                publishedAt = now;
            }
            try {
                client.create().orSetData().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                        .inBackground((c, event) -> {
                            if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
                                forgetPublished();
                            }
                        }).forPath(base + "/observations/" + settings.manager(), JSON.writeValueAsBytes(o));
            } catch (Exception e) {
                log.debug("Cluster {}: publishing the observation failed: {}", cluster, e.toString());
            }
        }

        @Override
        public void onPeerVerdict(Runnable r) {
            peerChanged = r;
        }

        @Override
        public ManagerPeers peers() {
            long now = System.nanoTime();
            Map<String, ManagerPeers.Heard> out = new LinkedHashMap<>();
            heard.forEach((m, h) -> out.put(m, new ManagerPeers.Heard(h.observation(),
                    Duration.ofNanos(now - h.changedAt()))));
            return new ManagerPeers(settings.manager(), settings.managers(), leadership(), out, freshness);
        }
    }

    /** The current ZooKeeper session's id (0 when there is none). */
    private long sessionId() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    /** A latch node's sequence number (its last ten digits), for ordering the election. */
    private static String sequence(String node) {
        return node.length() >= 10 ? node.substring(node.length() - 10) : node;
    }

    private static long parseEpoch(byte[] d) {
        String s = d == null ? "" : new String(d, StandardCharsets.UTF_8).trim();
        int sp = s.indexOf(' ');
        try {
            return s.isEmpty() ? 0 : Long.parseLong(sp < 0 ? s : s.substring(0, sp));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
        for (ZkSeat s : seats.values()) {
            try {
                s.latch.close();
            } catch (Exception e) {
                log.debug("closing the latch of {}: {}", s.cluster, e.toString());
            }
        }
        cache.close();
        client.close();
        log.info("Coordination: left ZooKeeper (every leadership of this manager ended).");
    }
}
