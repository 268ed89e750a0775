package dev.warden.bench.chaos;

import dev.warden.actions.Operation;
import dev.warden.bench.ServerObserver;
import dev.warden.model.Flavor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one round knows for sure, gathered outside Warden: the observer's looks at every server (every ~10 ms),
 * the rows each server holds (each names the server that took it and when), what the writers had acknowledged, what
 * was done to the servers and when; and Warden's own records, to be checked against all that.
 *
 * @param kind         the fault of the round
 * @param ports        server name to port
 * @param original     the primary when the round began
 * @param samples      server name to the observer's looks, oldest first
 * @param rows         server name (running at the end) to its rows: id to the row's server port and commit time
 * @param acknowledged every row id a writer saw committed
 * @param finalPrimary the one writable server at the end (null when none converged)
 * @param heldOut      servers Warden keeps out at the end, with the finding that says why (a quarantined old primary)
 * @param faultStart   when the fault began
 * @param faultEnd     when it ended (the last server started again, the partition healed, the lock released)
 * @param operations   Warden's records of the round, from its store
 */
record Evidence(FaultKind kind, Flavor flavor, Map<String, Integer> ports, String original, Map<String, List<ServerObserver.Sample>> samples,
                Map<String, Map<Long, Row>> rows, Set<Long> acknowledged, String finalPrimary,
                Map<String, String> heldOut, Instant faultStart, Instant faultEnd, Duration faultLength,
                List<Operation> operations) {

    /** A row as a server holds it: the port of the server that committed it, and when (that server's clock). */
    record Row(int srv, Instant at) {
    }

    String nameOf(int port) {
        return ports.entrySet().stream().filter(e -> e.getValue() == port).map(Map.Entry::getKey).findFirst()
                .orElse("port " + port);
    }
}
