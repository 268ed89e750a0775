package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.Secret;
import dev.warden.config.StoreSettings;
import dev.warden.sandbox.Sandbox;
import dev.warden.testing.RootSql;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The store in a schema of a real MySQL or MariaDB server, as shared deployments use it. */
abstract class ServerStoreScenarios extends StoreContract {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    abstract Sandbox sandbox();

    String url(String schema) {
        return "jdbc:mysql://127.0.0.1:" + sandbox().primary().port() + "/" + schema
                + "?allowPublicKeyRetrieval=true";
    }

    @Override
    StoreSettings fresh() {
        String schema = "warden_store_" + SCHEMAS.incrementAndGet();
        RootSql.exec(sandbox(), sandbox().primary(), "CREATE DATABASE " + schema,
                "CREATE USER IF NOT EXISTS 'store'@'%' IDENTIFIED BY 'store-pw'",
                "GRANT ALL ON " + schema + ".* TO 'store'@'%'");
        return new StoreSettings(null, url(schema), "store", Secret.of("store-pw"),
                StoreSettings.DEFAULT_RETENTION);
    }

    @Override
    void tamper(StoreSettings s, String sql) {
        String schema = s.mysqlUrl().replaceAll(".*/([^/?]+)\\?.*", "$1");
        RootSql.exec(sandbox(), sandbox().primary(), "USE " + schema, sql);
    }

    @Test
    void aSecondManagerOnTheSameSchemaIsRefused() {
        StoreSettings s = fresh();
        try (Store first = open(s, T0)) {
            assertThatThrownBy(() -> open(s, T0)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("is in use by another Warden (its connection")
                    .hasMessageContaining("holds the lock warden_store.");
        }
        open(s, T0).close(); // the lock went with the first one's connection
    }

    /** A manager alone on a schema that coordinated managers use would act beside their leader: refused. */
    @Test
    void aManagerWithoutCoordinationIsRefusedASchemaCoordinatedManagersUse() {
        StoreSettings s = fresh();
        try (Store shared = Store.open(s, java.time.Clock.systemUTC(), "site-b", true)) {
            shared.operations().claim("main", 7);
            assertThatThrownBy(() -> open(s, T0)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("is used by managers under coordination (cluster main (epoch 7, led by "
                            + "site-b))")
                    .hasMessageContaining("Give this one the same coordination section, or its own schema");
        }
        tamper(s, "DELETE FROM cluster_terms");
        open(s, T0).close(); // detached on purpose: alone again
    }

    @Test
    void aMissingSchemaSaysHowToCreateIt() {
        StoreSettings s = fresh();
        StoreSettings missing = new StoreSettings(null, url("no_such_schema"), s.user(), s.password(),
                s.retention());
        assertThatThrownBy(() -> open(missing, T0)).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("create it first",
                        "refused the login"));
    }

    @Test
    void aWrongPasswordIsNamedWithoutShowingIt() {
        StoreSettings s = fresh();
        StoreSettings wrong = new StoreSettings(null, s.mysqlUrl(), s.user(), Secret.of("not-the-password"),
                s.retention());
        assertThatThrownBy(() -> open(wrong, T0)).isInstanceOf(StoreException.class)
                .hasMessageContaining("refused the login").hasMessageContaining("store.mysql.user and password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("not-the-password"));
    }
}
