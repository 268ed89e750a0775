package dev.warden.check;

import dev.warden.model.InstanceSnapshot;

/**
 * What {@code warden check} gathered about one server: the probe, and the account's grants.
 *
 * @param grants  null when SHOW GRANTS could not be read
 * @param account the account as the server names it (CURRENT_USER()), such as {@code 'warden'@'%'}
 */
public record ServerFacts(InstanceSnapshot probe, GrantSet grants, String account, String grantsError) {
}
