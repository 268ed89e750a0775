-- The heartbeat table. Warden writes its row on the primary every probe cycle (the write probe) and reads
-- the replicated rows on replicas to measure lag with its own clock. Create it once on the primary.
CREATE DATABASE IF NOT EXISTS warden;
CREATE TABLE IF NOT EXISTS warden.heartbeat (
  server_id INT UNSIGNED NOT NULL PRIMARY KEY COMMENT 'server_id of the primary that wrote the row',
  seq BIGINT UNSIGNED NOT NULL COMMENT 'incremented by every write',
  ts TIMESTAMP(6) NOT NULL COMMENT 'primary clock at the write',
  writer VARCHAR(255) NOT NULL DEFAULT '' COMMENT 'which Warden process wrote it'
) ENGINE=InnoDB;

-- The term table (several managers only, see the README's "Several managers"): the leadership epoch of the manager
-- that promoted the primary, written on the new primary by the promote step and replicated from there. A writable
-- server carrying an older epoch than the cluster's newest is a stale primary, and the leader fences it.
CREATE TABLE IF NOT EXISTS warden.term (
  cluster VARCHAR(255) NOT NULL PRIMARY KEY COMMENT 'the Warden cluster name',
  epoch BIGINT UNSIGNED NOT NULL COMMENT 'leadership epoch of the manager that promoted this primary',
  manager VARCHAR(255) NOT NULL DEFAULT '' COMMENT 'that manager',
  server_id INT UNSIGNED NOT NULL COMMENT 'server_id of the primary it promoted',
  ts TIMESTAMP(6) NOT NULL COMMENT 'primary clock at the promotion'
) ENGINE=InnoDB;
