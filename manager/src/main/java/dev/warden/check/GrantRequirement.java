package dev.warden.check;

import java.util.List;

/**
 * A privilege Warden needs, why, and which grants satisfy it. {@code schema} null means global.
 */
public record GrantRequirement(String privilege, String schema, List<String> satisfiedBy, String purpose) {

    public boolean metBy(GrantSet grants) {
        if (schema == null) {
            return grants.hasGlobal(satisfiedBy);
        }
        return satisfiedBy.stream().anyMatch(p -> grants.hasOnSchema(schema, p));
    }

    /** The statement a DBA runs to grant it. */
    public String grantStatement(String account) {
        return "GRANT " + privilege + " ON " + (schema == null ? "*.*" : schema + ".*") + " TO " + account;
    }
}
