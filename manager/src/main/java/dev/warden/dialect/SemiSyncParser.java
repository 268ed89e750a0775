package dev.warden.dialect;

import dev.warden.model.SemiSyncState;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads {@code SHOW GLOBAL VARIABLES/STATUS LIKE 'rpl_semi_sync%'} under both the old (master/slave)
 * and new (source/replica) names. No rows at all means the plugin is not loaded.
 */
final class SemiSyncParser {

    private SemiSyncParser() {
    }

    static SemiSyncState parse(List<Row> variables, List<Row> status) {
        if (variables.isEmpty()) {
            return SemiSyncState.NOT_AVAILABLE;
        }
        Map<String, String> v = nameValue(variables);
        Map<String, String> s = nameValue(status);
        return new SemiSyncState(true,
                on(v, "rpl_semi_sync_source_enabled", "rpl_semi_sync_master_enabled"),
                on(s, "rpl_semi_sync_source_status", "rpl_semi_sync_master_status"),
                (int) number(s, "rpl_semi_sync_source_clients", "rpl_semi_sync_master_clients"),
                on(v, "rpl_semi_sync_replica_enabled", "rpl_semi_sync_slave_enabled"),
                on(s, "rpl_semi_sync_replica_status", "rpl_semi_sync_slave_status"));
    }

    private static Map<String, String> nameValue(List<Row> rows) {
        Map<String, String> m = new HashMap<>();
        for (Row r : rows) {
            String name = r.get("Variable_name");
            if (name != null) {
                m.put(name.toLowerCase(Locale.ROOT), r.getOrEmpty("Value"));
            }
        }
        return m;
    }

    private static boolean on(Map<String, String> m, String... names) {
        for (String n : names) {
            String v = m.get(n);
            if (v != null) {
                return v.equalsIgnoreCase("ON") || v.equals("1");
            }
        }
        return false;
    }

    private static long number(Map<String, String> m, String... names) {
        for (String n : names) {
            String v = m.get(n);
            if (v != null) {
                try {
                    return Long.parseLong(v.trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }
}
