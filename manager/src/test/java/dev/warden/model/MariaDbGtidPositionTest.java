package dev.warden.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MariaDbGtidPositionTest {

    @Test
    void parsesPerDomainKeepingTheHighestSequence() {
        MariaDbGtidPosition p = MariaDbGtidPosition.parse("1-2-7, 0-1-100,0-3-90");
        assertThat(p.toString()).isEqualTo("0-1-100,1-2-7");
        assertThat(p.sequence(0)).isEqualTo(100);
        assertThat(p.sequence(5)).isZero();
        assertThat(MariaDbGtidPosition.parse("")).isEqualTo(MariaDbGtidPosition.EMPTY);
        assertThat(MariaDbGtidPosition.parse(null).isEmpty()).isTrue();
    }

    @Test
    void containsMeansAtLeastAsFarInEveryDomain() {
        MariaDbGtidPosition ahead = MariaDbGtidPosition.parse("0-1-100,1-2-7");
        MariaDbGtidPosition behind = MariaDbGtidPosition.parse("0-1-90");
        assertThat(ahead.contains(behind)).isTrue();
        assertThat(behind.contains(ahead)).isFalse();
        assertThat(behind.missingFrom(ahead)).isEqualTo(10 + 7);
        assertThat(ahead.missingFrom(behind)).isZero();
        assertThat(ahead.union(MariaDbGtidPosition.parse("0-1-120"))).isEqualTo(
                MariaDbGtidPosition.parse("0-1-120,1-2-7"));
    }

    @Test
    void rejectsMalformedGtids() {
        assertThatThrownBy(() -> MariaDbGtidPosition.parse("0-1")).hasMessageContaining("domain-server-sequence");
        assertThatThrownBy(() -> MariaDbGtidPosition.parse("a-b-c")).hasMessageContaining("'a-b-c'");
        assertThatThrownBy(() -> MariaDbGtidPosition.parse("0-1-5").contains(GtidSet.EMPTY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
