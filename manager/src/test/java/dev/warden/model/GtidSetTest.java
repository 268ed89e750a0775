package dev.warden.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GtidSetTest {

    static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    static final String B = "8a94f357-aab4-11df-86ab-c80aa9429563";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                               | ''",
            "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5         | " + A + ":1-5",
            "3e11fa4771ca11e19e33c80aa9429562:1-5             | " + A + ":1-5",
            A + ":7                                            | " + A + ":7",
            A + ":1-3:4-6                                      | " + A + ":1-6",
            A + ":1-5:3-8                                      | " + A + ":1-8",
            A + ":10-12:1-2                                    | " + A + ":1-2:10-12",
            A + ":5:5                                          | " + A + ":5",
            B + ":1-3," + A + ":1-2                            | " + A + ":1-2," + B + ":1-3",
            A + ":1-3," + A + ":4-9                            | " + A + ":1-9",
            A + ":1-3:Tag_B:1-2:tag_a:5                        | " + A + ":1-3:tag_a:5:tag_b:1-2",
            A + ":tag_a:1-2                                    | " + A + ":tag_a:1-2",
    })
    void parsesToCanonicalForm(String text, String canonical) {
        assertThat(GtidSet.parse(text).toString()).isEqualTo(canonical);
    }

    @Test
    void roundTripsGtidExecutedAsMysqlPrintsIt() {
        String fromServer = A + ":1-100:102-200,\n" + B + ":1-5";
        assertThat(GtidSet.parse(fromServer).toString()).isEqualTo(fromServer.replace("\n", ""));
        assertThat(GtidSet.parse(GtidSet.parse(fromServer).toString())).isEqualTo(GtidSet.parse(fromServer));
    }

    @ParameterizedTest(name = "rejects {0}")
    @CsvSource(delimiter = '|', value = {
            "not-a-uuid:1-5              | not a server UUID",
            A + ":0                      | 0",
            A + ":5-3                    | 5-3",
            A + "                        | no transaction numbers",
            A + ":                       | neither",
            A + "::1                     | neither",
            A + ":tag                    | ends without transaction numbers",
            A + ":t1:t2:1                | has no transaction numbers",
            A + ":1-x                    | not a transaction range",
    })
    void rejectsMalformedSetsNamingTheBadPart(String text, String messagePart) {
        assertThatThrownBy(() -> GtidSet.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(messagePart.trim());
    }

    @ParameterizedTest(name = "{0} {1} {2} = {3}")
    @CsvSource(delimiter = '|', value = {
            "A:1-10     | union     | A:11-20        | A:1-20",
            "A:1-10     | union     | B:1-3          | A:1-10,B:1-3",
            "A:1-10     | subtract  | A:3-4          | A:1-2:5-10",
            "A:1-10     | subtract  | A:1-10         | ''",
            "A:1-10     | subtract  | B:1-10         | A:1-10",
            "A:1-10:20-30 | subtract | A:5-25        | A:1-4:26-30",
            "A:1-10,B:1-5 | subtract | A:1-10        | B:1-5",
            "A:1-10     | intersect | A:5-15         | A:5-10",
            "A:1-3:7-9  | intersect | A:2-8          | A:2-3:7-8",
            "A:1-10     | intersect | B:1-10         | ''",
    })
    void setAlgebra(String left, String op, String right, String expected) {
        GtidSet l = set(left);
        GtidSet r = set(right);
        GtidSet result = switch (op.trim()) {
            case "union" -> l.union(r);
            case "subtract" -> l.subtract(r);
            default -> l.intersect(r);
        };
        assertThat(result).isEqualTo(set(expected));
    }

    @Test
    void subsetAndContainment() {
        assertThat(set("A:1-5").isSubsetOf(set("A:1-10"))).isTrue();
        assertThat(set("A:1-10").isSubsetOf(set("A:1-5"))).isFalse();
        assertThat(set("A:1-10,B:1").contains(set("A:2-3"))).isTrue();
        assertThat(set("A:1-10").contains(set("B:1"))).isFalse();
        assertThat(GtidSet.EMPTY.isSubsetOf(set("A:1"))).isTrue();
        assertThat(set("A:1-3:7").contains(GtidSource.of(A), 7)).isTrue();
        assertThat(set("A:1-3:7").contains(GtidSource.of(A), 5)).isFalse();
    }

    @Test
    void errantTransactionsAreWhatAReplicaHasAndThePrimaryLacks() {
        GtidSet primary = set("A:1-100");
        GtidSet replica = set("A:1-90,B:1-2");
        assertThat(replica.subtract(primary)).isEqualTo(set("B:1-2"));
        assertThat(primary.missingFrom(replica)).isEqualTo(2);
        assertThat(replica.missingFrom(primary)).isEqualTo(10);
    }

    @Test
    void countsTransactions() {
        assertThat(set("A:1-10:20,B:5-6").count()).isEqualTo(13);
        assertThat(GtidSet.EMPTY.count()).isZero();
        assertThat(set("A:1-10,B:5-6").summary()).isEqualTo("2 sources, 12 trx");
    }

    @Test
    void equalityIsByContentNotByText() {
        assertThat(GtidSet.parse(A + ":1-3:4")).isEqualTo(GtidSet.parse(A.toUpperCase() + ":1-4"));
        assertThat(GtidSet.parse(A + ":1-3:4").hashCode()).isEqualTo(GtidSet.parse(A + ":1-4").hashCode());
    }

    @Test
    void refusesToCompareWithMariaDbPositions() {
        assertThatThrownBy(() -> set("A:1").contains((GtidPosition) MariaDbGtidPosition.parse("0-1-5")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** "A:1-5,B:3" with A and B standing for two UUIDs. */
    static GtidSet set(String shorthand) {
        return GtidSet.parse(shorthand.trim().replace("A:", A + ":").replace("B:", B + ":"));
    }
}
