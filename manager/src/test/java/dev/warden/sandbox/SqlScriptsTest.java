package dev.warden.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptsTest {

    static final Map<String, String> VALUES = Map.of("WARDEN_USER", "w", "WARDEN_PASSWORD", "pw", "WARDEN_HOST", "%",
            "REPL_USER", "r", "REPL_PASSWORD", "rpw", "REPL_HOST", "%");

    @Test
    void grantFilesFillEveryPlaceholderAndSplitIntoStatements() {
        for (String file : List.of("sql/grants/mysql.sql", "sql/grants/mariadb.sql")) {
            List<String> statements = SqlScripts.statements(SqlScripts.fill(SqlScripts.load(file), VALUES));
            assertThat(statements).allSatisfy(s -> assertThat(s).doesNotContain("${").doesNotEndWith(";"))
                    .anySatisfy(s -> assertThat(s).startsWith("CREATE USER IF NOT EXISTS 'w'@'%'"))
                    .anySatisfy(s -> assertThat(s).startsWith("GRANT REPLICATION SLAVE ON *.* TO 'r'@'%'"));
        }
        assertThat(SqlScripts.statements(SqlScripts.load("sql/heartbeat.sql"))).hasSize(3)
                .anySatisfy(s -> assertThat(s).startsWith("CREATE TABLE IF NOT EXISTS warden.term"));
    }

    @Test
    void anUnfilledPlaceholderIsAnError() {
        assertThatThrownBy(() -> SqlScripts.fill("SELECT '${X}';", Map.of())).hasMessageContaining("${X}");
        assertThat(SqlScripts.fill("-- ${X} in a comment\nSELECT 1;", Map.of())).contains("SELECT 1");
    }
}
