package dev.warden.model;

import java.time.Duration;

/**
 * What a replica's receiver (IO thread) last heard from its source, as the replica itself reports it
 * (MySQL: performance_schema.replication_connection_status; MariaDB: heartbeat counters).
 * Ages are measured on the replica's clock at read time, so they do not depend on clock skew.
 *
 * @param sinceLastHeartbeat time since the last heartbeat event arrived, null if unknown or none yet
 * @param sinceLastQueued    time since the last transaction was queued in the relay log, null if unknown
 * @param heartbeatsReceived heartbeat events received since the receiver started, -1 if unknown
 * @param heartbeatPeriod    the channel's heartbeat period as the server has it, null if unknown
 * @param queueing           the transaction the receiver was queueing when last seen (MySQL
 *                           {@code QUEUEING_TRANSACTION}): with the receiver disconnected it was cut short in
 *                           transfer and can never be applied; null when none or unknown
 */
public record ReceiverStatus(Duration sinceLastHeartbeat, Duration sinceLastQueued, long heartbeatsReceived,
                             Duration heartbeatPeriod, String queueing) {

    public static final ReceiverStatus UNKNOWN = new ReceiverStatus(null, null, -1, null, null);

    public ReceiverStatus {
        queueing = queueing == null || queueing.isBlank() || queueing.equalsIgnoreCase("ANONYMOUS") ? null
                : queueing.trim().toLowerCase(java.util.Locale.ROOT);
    }

    /** Time since anything at all arrived from the source; null if neither is known. */
    public Duration sinceLastContact() {
        if (sinceLastHeartbeat == null) return sinceLastQueued;
        if (sinceLastQueued == null) return sinceLastHeartbeat;
        return sinceLastHeartbeat.compareTo(sinceLastQueued) <= 0 ? sinceLastHeartbeat : sinceLastQueued;
    }
}
