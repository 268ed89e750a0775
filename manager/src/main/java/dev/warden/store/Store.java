package dev.warden.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.warden.config.StoreSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Warden's own records: operations step by step, findings history, operator controls and the audit of user
 * actions, in an SQLite file (default) or a MySQL schema, through Jdbi. Opening takes the store's one-manager
 * lock, checks the file, and migrates the schema; any problem stops the manager before it watches a cluster.
 */
public final class Store implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Store.class);

    private final StoreSettings settings;
    private final HikariDataSource dataSource;
    private final AutoCloseable lock;
    private final Clock clock;
    final Jdbi jdbi;
    final StoreDialect dialect;
    private final OperationStore operations;
    private final FindingStore findings;
    private final ControlStore controls;
    private final AuditStore audit;
    private final AtomicReference<String> lastError = new AtomicReference<>();

    private Store(StoreSettings settings, HikariDataSource dataSource, AutoCloseable lock, StoreDialect dialect,
                  Clock clock, String manager) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.lock = lock;
        this.dialect = dialect;
        this.clock = clock;
        this.jdbi = Jdbi.create(dataSource);
        this.operations = new OperationStore(this, manager);
        this.findings = new FindingStore(this);
        this.controls = new ControlStore(this);
        this.audit = new AuditStore(this);
    }

    /**
     * Opens (creating an SQLite file on first start) and migrates the store.
     *
     * @param manager who this manager is, recorded with each operation
     * @throws StoreException with what is wrong and what to do
     */
    public static Store open(StoreSettings settings, Clock clock, String manager) {
        return open(settings, clock, manager, false);
    }

    /**
     * @param shared several managers under coordination use this (MySQL) store: no manager holds it alone, since
     *               ZooKeeper decides which one acts on each cluster
     */
    public static Store open(StoreSettings settings, Clock clock, String manager, boolean shared) {
        if (shared && !settings.isMysql()) {
            throw new StoreException("a store shared by several managers must be MySQL (store.mysql), not "
                    + settings.display());
        }
        Store store = settings.isMysql() ? openMysql(settings, clock, manager, shared)
                : openSqlite(settings, clock, manager);
        try {
            int[] migrated = new int[1];
            if (shared) {
                MysqlStoreLock.shared(mysqlUrl(settings), settings, () -> migrated[0] = Migrations.migrate(store.jdbi,
                        store.dialect, clock, settings.display()));
            } else {
                migrated[0] = Migrations.migrate(store.jdbi, store.dialect, clock, settings.display());
                if (settings.isMysql()) {
                    refuseCoordinatedSchema(store);
                }
            }
            int version = migrated[0];
            log.info("Store {} open (schema version {}, history kept {} days).", settings.display(), version,
                    settings.retention().toDays());
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e instanceof StoreException se ? se : problem(settings, e);
        }
    }

    /**
     * A manager alone (it holds the store's lock and acts on every cluster) must not use a schema that managers
     * under coordination use: it would act beside their leader. Their leaders' epochs in {@code cluster_terms} say
     * they do.
     */
    private static void refuseCoordinatedSchema(Store store) {
        var claimed = store.jdbi.withHandle(h -> h.createQuery("SELECT cluster, epoch, manager FROM cluster_terms "
                        + "ORDER BY claimed_at DESC")
                .map((rs, ctx) -> "cluster " + rs.getString(1) + " (epoch " + rs.getLong(2) + ", led by "
                        + rs.getString(3) + ")").list());
        if (!claimed.isEmpty()) {
            throw new StoreException("the store " + store.settings().display() + " is used by managers under "
                    + "coordination (" + String.join(", ", claimed) + "): a manager without coordination would act "
                    + "beside their leader. Give this one the same coordination section, or its own schema; to stop "
                    + "coordinating for good, stop every coordinated manager, then DELETE FROM cluster_terms");
        }
    }

    private static Store openSqlite(StoreSettings s, Clock clock, String manager) {
        Path file = s.sqlite().toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the directory of the store " + file + ": " + e.getMessage()
                    + "; set store.path to a writable place", e);
        }
        StoreLock lock = StoreLock.acquire(file);
        HikariDataSource ds = null;
        try {
            SQLiteConfig cfg = new SQLiteConfig();
            cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
            // FULL: a committed step record survives a power cut, not only a process crash.
            cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            cfg.setBusyTimeout(5_000);
            SQLiteDataSource sqlite = new SQLiteDataSource(cfg);
            sqlite.setUrl("jdbc:sqlite:" + file);
            HikariConfig h = pool("warden-store", 2);
            h.setDataSource(sqlite);
            ds = new HikariDataSource(h);
            Store store = new Store(s, ds, lock, StoreDialect.SQLITE, clock, manager);
            String check = store.jdbi.withHandle(x -> x.createQuery("PRAGMA quick_check").mapTo(String.class).one());
            if (!"ok".equalsIgnoreCase(check)) {
                store.close();
                throw new StoreException("the store " + file + " is corrupt (SQLite quick_check: " + check + "). "
                        + "Restore it from a backup, or move it aside to start with an empty history; Warden "
                        + "changes nothing until then");
            }
            return store;
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            if (ds != null) {
                ds.close();
            }
            lock.close();
            throw problem(s, e);
        }
    }

    /** Every store call is bounded: a hung store server makes writes fail within seconds (an operation that cannot
     * be recorded does not start) rather than hold a cluster's thread. */
    private static String mysqlUrl(StoreSettings s) {
        return s.mysqlUrl() + (s.mysqlUrl().contains("?") ? "&" : "?")
                + "connectTimeout=3000&socketTimeout=5000&tcpKeepAlive=true";
    }

    private static Store openMysql(StoreSettings s, Clock clock, String manager, boolean shared) {
        HikariConfig h = pool("warden-store", 4);
        String url = mysqlUrl(s);
        h.setJdbcUrl(url);
        h.setUsername(s.user());
        h.setPassword(s.password().reveal());
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(h);
        } catch (RuntimeException e) {
            throw problem(s, e);
        }
        if (shared) {
            return new Store(s, ds, () -> { }, StoreDialect.MYSQL, clock, manager);
        }
        try {
            MysqlStoreLock lock = MysqlStoreLock.acquire(url, s);
            Store store = new Store(s, ds, lock, StoreDialect.MYSQL, clock, manager);
            store.watchLock(lock);
            return store;
        } catch (RuntimeException e) {
            ds.close();
            throw e instanceof StoreException se ? se : problem(s, e);
        }
    }

    private static HikariConfig pool(String name, int size) {
        HikariConfig h = new HikariConfig();
        h.setPoolName(name);
        h.setMaximumPoolSize(size);
        h.setMinimumIdle(1);
        h.setConnectionTimeout(5_000);
        h.setValidationTimeout(2_000);
        // Fail at start, with the driver's reason, rather than on the first write.
        h.setInitializationFailTimeout(1);
        return h;
    }

    /** Turns a driver failure into what a DBA needs to read. */
    static StoreException problem(StoreSettings s, Throwable e) {
        String reason = rootMessage(e);
        String lower = reason.toLowerCase(java.util.Locale.ROOT);
        String what;
        if (lower.contains("notadb") || lower.contains("not a database") || lower.contains("corrupt")
                || lower.contains("malformed")) {
            what = "the store " + s.display() + " is not a readable Warden store (" + reason + "). Restore it from "
                    + "a backup, or move it aside to start with an empty history; Warden changes nothing until then";
        } else if (lower.contains("sqlite_busy") || lower.contains("database is locked")) {
            what = "the store " + s.display() + " is locked by another process (" + reason + "), still after 5 s. "
                    + "Stop whatever holds it (another Warden, a sqlite3 shell inside a transaction) and start again";
        } else if (lower.contains("access denied")) {
            what = "the store " + s.display() + " refused the login (" + reason + "): check store.mysql.user and "
                    + "password, and that the account may CREATE, ALTER, INDEX, SELECT, INSERT, UPDATE and DELETE "
                    + "in the schema";
        } else if (lower.contains("unknown database")) {
            what = "the store's schema does not exist (" + reason + "): create it first, for example "
                    + "CREATE DATABASE warden, and grant the store user its privileges there";
        } else if (lower.contains("communications link") || lower.contains("connection refused")
                || lower.contains("connect timed out") || lower.contains("unknownhost")) {
            what = "cannot reach the store " + s.display() + " (" + reason + "). Warden does not watch or change "
                    + "any cluster without its store, since it could neither record nor resume an operation; check "
                    + "the address and that the server runs";
        } else {
            what = "cannot open the store " + s.display() + ": " + reason;
        }
        return new StoreException(what, e);
    }

    static String rootMessage(Throwable e) {
        String msg = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException || msg == null) {
                msg = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return msg == null ? e.toString() : msg.replaceAll("\\s+", " ").trim();
    }

    public StoreSettings settings() {
        return settings;
    }

    public OperationStore operations() {
        return operations;
    }

    public FindingStore findings() {
        return findings;
    }

    public ControlStore controls() {
        return controls;
    }

    public AuditStore audit() {
        return audit;
    }

    Clock clock() {
        return clock;
    }

    private volatile String lockProblem;
    private volatile Thread lockWatch;
    private final java.util.List<Runnable> onLockRegained = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** How often the MySQL store's lock is checked. */
    static final java.time.Duration LOCK_CHECK = java.time.Duration.ofSeconds(1);

    /**
     * Checks the MySQL store's lock every {@link #LOCK_CHECK}: the server drops it with its connection (a network
     * blip, a KILL, a server restart), and another manager may take it then. While it is not held this manager must
     * not act ({@link #lockProblem}); it tries to take it again, and says so when it holds it once more.
     */
    private void watchLock(MysqlStoreLock lock) {
        Thread t = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                String problem = lock.check();
                String before = lockProblem;
                if (problem != null && before == null) {
                    log.error("Store {}: {}; no cluster is changed until it is held again.", settings.display(),
                            problem);
                } else if (problem == null && before != null) {
                    log.warn("Store {}: the lock is held again; reloading what the store holds.", settings.display());
                }
                lockProblem = problem;
                if (problem == null && before != null) {
                    onLockRegained.forEach(Runnable::run);
                }
                try {
                    Thread.sleep(LOCK_CHECK.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "store-lock");
        t.setDaemon(true);
        t.start();
        lockWatch = t;
    }

    /** Why this manager does not hold its store's lock right now (it must not act), or empty. */
    public java.util.Optional<String> lockProblem() {
        return java.util.Optional.ofNullable(lockProblem);
    }

    /** Runs {@code r} whenever the store's lock is held again after it was lost. */
    public void onLockRegained(Runnable r) {
        onLockRegained.add(r);
    }

    /** The last write that failed, if the store has not written successfully since. */
    public java.util.Optional<String> problem() {
        return java.util.Optional.ofNullable(lastError.get());
    }

    void wrote() {
        if (lastError.getAndSet(null) != null) {
            log.info("Store {} writes again.", settings.display());
        }
    }

    void failed(String what, RuntimeException e) {
        String message = what + ": " + rootMessage(e);
        if (!message.equals(lastError.getAndSet(message))) {
            log.error("Store {}: {}", settings.display(), message);
        }
    }

    /** Deletes history older than the retention; returns how many rows went. */
    public int prune(Instant now) {
        long cut = now.minus(settings.retention()).toEpochMilli();
        return jdbi.inTransaction(h -> {
            int n = 0;
            String old = "SELECT id FROM operations WHERE ended_at IS NOT NULL AND ended_at < :cut";
            n += h.createUpdate("DELETE FROM operation_steps WHERE operation_id IN (" + old + ")").bind("cut", cut)
                    .execute();
            n += h.createUpdate("DELETE FROM hook_outcomes WHERE operation_id IN (" + old + ")").bind("cut", cut)
                    .execute();
            n += h.createUpdate("DELETE FROM operations WHERE ended_at IS NOT NULL AND ended_at < :cut")
                    .bind("cut", cut).execute();
            n += h.createUpdate("DELETE FROM findings WHERE cleared_at IS NOT NULL AND cleared_at < :cut")
                    .bind("cut", cut).execute();
            n += h.createUpdate("DELETE FROM user_actions WHERE at < :cut").bind("cut", cut).execute();
            n += h.createUpdate("DELETE FROM acknowledgements WHERE at < :cut").bind("cut", cut).execute();
            n += h.createUpdate("DELETE FROM maintenance_windows WHERE ended_at IS NOT NULL AND ended_at < :cut")
                    .bind("cut", cut).execute();
            return n;
        });
    }

    @Override
    public void close() {
        if (lockWatch != null) {
            lockWatch.interrupt();
        }
        findings.stop();
        dataSource.close();
        try {
            lock.close();
        } catch (Exception e) {
            log.warn("Store {}: releasing the lock failed: {}", settings.display(), e.toString());
        }
    }
}
