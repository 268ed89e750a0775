-- Accounts Warden needs on every MariaDB 10.5+ / 11.x server of a cluster (primary and replicas alike,
-- since any replica may become the primary). Run as an administrator on the primary; it replicates.
-- Replace the ${...} placeholders (warden sandbox does this for you).

-- Warden's own account.
--   PROCESS                   see every session (to fence a primary)
--   BINLOG MONITOR            SHOW BINLOG STATUS
--   REPLICA MONITOR           SHOW ALL REPLICAS STATUS
--   REPLICATION SLAVE         replication protocol (kept for parity with MySQL)
--   REPLICATION MASTER ADMIN  SHOW REPLICA HOSTS (discovery)
--   REPLICATION SLAVE ADMIN   CHANGE MASTER, START/STOP REPLICA, gtid_slave_pos
--   READ_ONLY ADMIN           SET GLOBAL read_only (note: it also lets this account write to a read-only
--                             server; Warden only ever writes its heartbeat on the primary)
--   CONNECTION ADMIN          KILL client sessions when fencing
--   RELOAD                    RESET REPLICA ALL when promoting
--   warden.*                  the heartbeat table
CREATE USER IF NOT EXISTS '${WARDEN_USER}'@'${WARDEN_HOST}' IDENTIFIED BY '${WARDEN_PASSWORD}';
GRANT PROCESS, BINLOG MONITOR, REPLICA MONITOR, REPLICATION SLAVE, REPLICATION MASTER ADMIN,
      REPLICATION SLAVE ADMIN, READ_ONLY ADMIN, CONNECTION ADMIN, RELOAD
   ON *.* TO '${WARDEN_USER}'@'${WARDEN_HOST}';
GRANT SELECT, INSERT, UPDATE ON warden.* TO '${WARDEN_USER}'@'${WARDEN_HOST}';

-- The account replicas use to replicate from whichever server is the primary.
CREATE USER IF NOT EXISTS '${REPL_USER}'@'${REPL_HOST}' IDENTIFIED BY '${REPL_PASSWORD}';
GRANT REPLICATION SLAVE ON *.* TO '${REPL_USER}'@'${REPL_HOST}';
