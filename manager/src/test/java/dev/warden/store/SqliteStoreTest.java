package dev.warden.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.config.StoreSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on its default engine, an SQLite file, and what can go wrong with the file. */
class SqliteStoreTest extends StoreContract {

    @TempDir
    Path dir;
    private int n;

    @Override
    StoreSettings fresh() {
        return StoreSettings.sqlite(dir.resolve("store-" + (++n) + "/warden.db"));
    }

    @Override
    void tamper(StoreSettings s, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + s.sqlite()); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void theFileIsCreatedOnFirstStart() {
        StoreSettings s = fresh();
        assertThat(s.sqlite()).doesNotExist();
        open(s, T0).close();
        assertThat(s.sqlite()).isRegularFile();
    }

    /** Across processes the message names the holder's pid (CrashRecoveryScenarios starts a second daemon). */
    @Test
    void theSameFileCannotBeOpenedTwice() {
        StoreSettings s = fresh();
        try (Store first = open(s, T0)) {
            assertThatThrownBy(() -> open(s, T0)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("is already open in this process");
        }
        open(s, T0).close(); // released with the first
    }

    @Test
    void aFileThatIsNotAStoreIsRefusedAndLeftAsItIs() throws Exception {
        StoreSettings s = fresh();
        Files.createDirectories(s.sqlite().getParent());
        byte[] junk = "this is not a database, it is a shopping list\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(s.sqlite(), junk);
        assertThatThrownBy(() -> open(s, T0)).isInstanceOf(StoreException.class)
                .hasMessageContaining("is not a readable Warden store")
                .hasMessageContaining("move it aside");
        assertThat(Files.readAllBytes(s.sqlite())).isEqualTo(junk);
    }

    @Test
    void aStoreWithADamagedPageIsRefused() throws Exception {
        StoreSettings s = fresh();
        try (Store store = open(s, T0)) {
            for (int i = 0; i < 200; i++) {
                store.audit().record(new AuditStore.UserAction(T0, "user-" + i, null, "login", null, null,
                        "x".repeat(200), "done"));
            }
        }
        // Overwrite the middle of the file (table pages) with garbage, as a bad disk would.
        byte[] bytes = Files.readAllBytes(s.sqlite());
        for (int i = bytes.length / 2; i < bytes.length / 2 + 4096 && i < bytes.length; i++) {
            bytes[i] = (byte) 0x5A;
        }
        Files.write(s.sqlite(), bytes);
        assertThatThrownBy(() -> open(s, T0)).isInstanceOf(StoreException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("is corrupt", "is not a readable Warden store"));
    }

    @Test
    void aFileLockedByAnotherProgramIsReportedAsLocked() throws Exception {
        StoreSettings s = fresh();
        open(s, T0).close();
        // Another program (a sqlite3 shell, say) holds an exclusive transaction on the file.
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + s.sqlite());
             Statement st = other.createStatement()) {
            st.execute("PRAGMA journal_mode=DELETE");
            st.execute("BEGIN EXCLUSIVE");
            assertThatThrownBy(() -> open(s, T0)).isInstanceOf(StoreException.class)
                    .hasMessageContaining("is locked by another process");
            st.execute("ROLLBACK");
        }
    }
}
