-- Accounts Warden needs on every MySQL 8.0 / 8.4 / 9.x server of a cluster (primary and replicas alike,
-- since any replica may become the primary). Run as an administrator on the primary; it replicates.
-- Replace the ${...} placeholders (warden sandbox does this for you).

-- Warden's own account.
--   PROCESS                  see every session (to fence a primary) and replication threads
--   REPLICATION CLIENT       SHOW REPLICA STATUS, SHOW BINARY LOG STATUS
--   REPLICATION SLAVE        SHOW REPLICAS (discovery)
--   RELOAD                   RESET REPLICA ALL when promoting
--   SYSTEM_VARIABLES_ADMIN   SET GLOBAL read_only / super_read_only
--   REPLICATION_SLAVE_ADMIN  CHANGE REPLICATION SOURCE, START/STOP REPLICA
--   CONNECTION_ADMIN         KILL client sessions when fencing
--   performance_schema       what replicas last heard from their source
--   warden.*                 the heartbeat table (write probe on the primary, lag on replicas)
CREATE USER IF NOT EXISTS '${WARDEN_USER}'@'${WARDEN_HOST}' IDENTIFIED BY '${WARDEN_PASSWORD}';
GRANT PROCESS, REPLICATION CLIENT, REPLICATION SLAVE, RELOAD ON *.* TO '${WARDEN_USER}'@'${WARDEN_HOST}';
GRANT SYSTEM_VARIABLES_ADMIN, REPLICATION_SLAVE_ADMIN, CONNECTION_ADMIN ON *.* TO '${WARDEN_USER}'@'${WARDEN_HOST}';
GRANT SELECT ON performance_schema.* TO '${WARDEN_USER}'@'${WARDEN_HOST}';
GRANT SELECT, INSERT, UPDATE ON warden.* TO '${WARDEN_USER}'@'${WARDEN_HOST}';

-- The account replicas use to replicate from whichever server is the primary.
CREATE USER IF NOT EXISTS '${REPL_USER}'@'${REPL_HOST}' IDENTIFIED BY '${REPL_PASSWORD}';
GRANT REPLICATION SLAVE ON *.* TO '${REPL_USER}'@'${REPL_HOST}';
