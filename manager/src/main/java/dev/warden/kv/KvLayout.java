package dev.warden.kv;

import dev.warden.model.InstanceKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Orchestrator's key layout for a cluster's primary, so templates written for it keep working:
 * {@code <prefix>/<cluster>} = {@code host:port}, {@code <prefix>/<cluster>/hostname} and {@code .../port}; plus
 * Warden's {@code .../warden_epoch}, the leadership epoch of the manager that wrote them (0 alone), which a write
 * from an older leadership may not overwrite.
 */
public record KvLayout(String prefix) {

    public String primaryKey(String cluster) {
        return prefix + "/" + cluster;
    }

    public String epochKey(String cluster) {
        return primaryKey(cluster) + "/warden_epoch";
    }

    /** Every key written for {@code primary}, the cluster's key first, with its value. */
    public Map<String, String> values(String cluster, InstanceKey primary, long epoch) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(primaryKey(cluster), primary.toString());
        m.put(primaryKey(cluster) + "/hostname", primary.host());
        m.put(primaryKey(cluster) + "/port", Integer.toString(primary.port()));
        m.put(epochKey(cluster), Long.toString(epoch));
        return m;
    }

    /** The epoch a store holds, read back; 0 when the text is absent or not a number (a key written by hand). */
    static long epoch(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
