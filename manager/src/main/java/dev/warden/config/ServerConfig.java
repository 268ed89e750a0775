package dev.warden.config;

import dev.warden.model.InstanceKey;
import dev.warden.model.PromotionRule;

/** A server of a cluster as configured: address, promotion rule, priority (higher wins among equals). */
public record ServerConfig(InstanceKey key, PromotionRule promotion, int priority, ConfigLocation location) {
}
