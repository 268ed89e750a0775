package dev.warden.store;

import dev.warden.sandbox.SqlScripts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the store's schema to the version this build knows, from {@code sql/store/V<n>__<what>.sql}, in order,
 * each in its own transaction where the database allows it. The checksum of every applied file is kept in
 * {@code warden_schema} and compared on every start: an edited migration, or a schema newer than this build,
 * is refused before anything else happens.
 */
final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    /** The migrations this build knows, oldest first. Add new files at the end; never edit an applied one. */
    static final List<String> FILES = List.of("V1__history.sql", "V2__cluster_terms.sql");

    private Migrations() {
    }

    record Applied(int version, String name, String checksum) {
    }

    static int version(String file) {
        return Integer.parseInt(file.substring(1, file.indexOf("__")));
    }

    static String checksum(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies what is missing; returns the schema version now in the store. */
    static int migrate(Jdbi jdbi, StoreDialect dialect, Clock clock, String where) {
        return jdbi.withHandle(h -> {
            h.execute("CREATE TABLE IF NOT EXISTS warden_schema (version INT NOT NULL PRIMARY KEY, "
                    + "name VARCHAR(200) NOT NULL, checksum VARCHAR(64) NOT NULL, applied_at BIGINT NOT NULL)");
            Map<Integer, Applied> applied = new TreeMap<>();
            h.createQuery("SELECT version, name, checksum FROM warden_schema")
                    .map((rs, ctx) -> new Applied(rs.getInt(1), rs.getString(2), rs.getString(3)))
                    .forEach(a -> applied.put(a.version(), a));
            int known = version(FILES.get(FILES.size() - 1));
            int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (newest > known) {
                throw new StoreException("the store " + where + " has schema version " + newest + " ("
                        + applied.get(newest).name() + "), newer than this Warden knows (" + known + "): it was "
                        + "upgraded by a newer Warden. Run that version, or restore a backup of the store taken "
                        + "before the upgrade; this Warden changes nothing");
            }
            for (String file : FILES) {
                int v = version(file);
                String text = SqlScripts.load("sql/store/" + file);
                String sum = checksum(text);
                Applied a = applied.get(v);
                if (a != null) {
                    if (!a.checksum().equals(sum)) {
                        throw new StoreException("the store " + where + " applied " + a.name() + " with checksum "
                                + a.checksum() + " but this build's sql/store/" + file + " has " + sum + ": the "
                                + "migration was edited after it ran. Restore the original file; a change to the "
                                + "schema goes into a new V<n> file");
                    }
                    continue;
                }
                apply(h, dialect, file, v, text, sum, clock);
            }
            return known;
        });
    }

    private static void apply(Handle h, StoreDialect dialect, String file, int version, String text, String sum,
                              Clock clock) {
        List<String> statements = SqlScripts.statements(SqlScripts.fill(text, dialect.placeholders()));
        // SQLite runs DDL inside a transaction; MySQL commits each DDL statement by itself.
        h.useTransaction(t -> {
            for (String sql : statements) {
                t.execute(sql);
            }
            t.createUpdate("INSERT INTO warden_schema (version, name, checksum, applied_at) "
                            + "VALUES (:v, :n, :c, :at)")
                    .bind("v", version).bind("n", file).bind("c", sum).bind("at", clock.millis()).execute();
        });
        log.info("Store schema: applied {} ({} statements).", file, statements.size());
    }
}
