package dev.warden.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.HookEvent;
import dev.warden.model.InstanceKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HookPayloadTest {

    static final HookPayload P = new HookPayload(HookEvent.POST_FAILOVER, "main", "op-1", InstanceKey.parse("db1:3306"),
            InstanceKey.parse("db2:3306"), InstanceKey.parse("db2:3306"), 3L, null, "DeadPrimary db1:3306",
            Instant.parse("2026-11-22T12:00:00Z"));

    @Test
    void bodyAndEnvironmentCarryTheSameFields() {
        assertThat(P.jsonText()).isEqualTo("{\"event\":\"post_failover\",\"cluster\":\"main\",\"operation_id\":\"op-1\","
                + "\"old_primary\":\"db1:3306\",\"new_primary\":\"db2:3306\",\"candidate\":\"db2:3306\","
                + "\"known_missing_transactions\":3,\"server\":null,\"reason\":\"DeadPrimary db1:3306\","
                + "\"time\":\"2026-11-22T12:00:00Z\"}");
        assertThat(P.environment()).containsEntry("WARDEN_EVENT", "post_failover")
                .containsEntry("WARDEN_OLD_PRIMARY", "db1:3306").containsEntry("WARDEN_KNOWN_MISSING_TRANSACTIONS", "3")
                .containsEntry("WARDEN_SERVER", "");
        assertThat(P.idempotencyKey("pager")).isEqualTo("op-1:post_failover:pager");
    }

    @Test
    void signaturesVerifyOnlyWithTheSecretAndTheExactBody() {
        byte[] body = P.json();
        String sig = Signature.sign("s3cret", body);
        assertThat(sig).startsWith("sha256=").hasSize(7 + 64);
        assertThat(Signature.verify("s3cret", body, sig)).isTrue();
        assertThat(Signature.verify("other", body, sig)).isFalse();
        assertThat(Signature.verify("s3cret", "{}".getBytes(StandardCharsets.UTF_8), sig)).isFalse();
        assertThat(Signature.verify("s3cret", body, null)).isFalse();
        // RFC 4231 test case 2: HMAC-SHA256 of "what do ya want for nothing?" keyed with "Jefe".
        assertThat(Signature.sign("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
