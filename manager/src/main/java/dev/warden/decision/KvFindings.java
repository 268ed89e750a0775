package dev.warden.decision;

import dev.warden.model.InstanceKey;
import java.util.ArrayList;
import java.util.List;

/** Findings from the last check of the key-value stores: one per store that was wrong or could not be kept right. */
public final class KvFindings {

    static final String DESCRIPTION = "A key-value store named another primary than the cluster's, or cannot be "
            + "read or written: clients routed from it (consul-template, confd) may write to the wrong server";
    static final int PRIORITY = 35;

    private KvFindings() {
    }

    public static List<Finding> of(List<KvCheck> checks, InstanceKey primary) {
        List<Finding> out = new ArrayList<>();
        for (KvCheck c : checks) {
            if (c.clean()) {
                continue;
            }
            String showed = c.showed() == null ? "nothing" : c.showed();
            String detail = c.problem() == null
                    ? c.store() + " " + c.key() + " held " + showed + ", not the primary " + c.primary()
                    + ": rewritten"
                    : c.store() + " " + c.key() + " holds " + showed + (c.primary().equals(c.showed()) ? "" : ", not "
                    + "the primary " + c.primary()) + ": " + c.problem();
            out.add(new Finding(FindingCode.PublishedPrimaryWrong, DESCRIPTION, PRIORITY,
                    primary == null ? List.of() : List.of(primary), List.of(), detail, false));
        }
        return out;
    }
}
