package dev.warden.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.model.InstanceKey;
import java.util.List;
import org.junit.jupiter.api.Test;

class KvFindingsTest {

    static final InstanceKey P = InstanceKey.parse("10.0.0.2:3306");

    @Test
    void aCleanStoreSaysNothing_aRewrittenOrUnwritableOneIsAFindingNamingStoreKeyAndValue() {
        KvCheck clean = new KvCheck("etcd http://e:2379", "mysql/master/main", P.toString(), P.toString(), false,
                null);
        KvCheck rewritten = new KvCheck("etcd http://e:2379", "mysql/master/main", P.toString(), "10.0.0.1:3306",
                true, null);
        KvCheck down = new KvCheck("zookeeper zk:2181", "mysql/master/main", P.toString(), null, false,
                "could not read (CONNECTIONLOSS)");
        assertThat(KvFindings.of(List.of(clean), P)).isEmpty();
        List<Finding> f = KvFindings.of(List.of(clean, rewritten, down), P);
        assertThat(f).extracting(Finding::code).containsOnly(FindingCode.PublishedPrimaryWrong);
        assertThat(f).extracting(Finding::sentence).containsExactly(
                "PublishedPrimaryWrong 10.0.0.2:3306: etcd http://e:2379 mysql/master/main held 10.0.0.1:3306, not "
                        + "the primary 10.0.0.2:3306: rewritten",
                "PublishedPrimaryWrong 10.0.0.2:3306: zookeeper zk:2181 mysql/master/main holds nothing, not the "
                        + "primary 10.0.0.2:3306: could not read (CONNECTIONLOSS)");
        assertThat(f).allSatisfy(x -> assertThat(x.pending()).isFalse());
    }
}
