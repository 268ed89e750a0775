package dev.warden.cli;

import dev.warden.model.GtidInterval;
import dev.warden.model.GtidPosition;
import dev.warden.model.GtidSet;
import dev.warden.model.GtidSource;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** GTID positions shortened for tables: UUIDs cut to 8 characters. */
final class GtidDisplay {

    private GtidDisplay() {
    }

    static String shortForm(GtidPosition p) {
        if (p == null) {
            return null;
        }
        if (p.isEmpty()) {
            return "(empty)";
        }
        if (!(p instanceof GtidSet set)) {
            return p.toString();
        }
        StringJoiner out = new StringJoiner(",");
        for (Map.Entry<GtidSource, List<GtidInterval>> e : set.sources().entrySet()) {
            StringBuilder sb = new StringBuilder(e.getKey().uuid().substring(0, 8)).append('…');
            if (e.getKey().tagged()) {
                sb.append(':').append(e.getKey().tag());
            }
            for (GtidInterval i : e.getValue()) {
                sb.append(':').append(i);
            }
            out.add(sb);
        }
        return out.toString();
    }
}
