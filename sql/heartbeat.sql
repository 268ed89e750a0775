-- The heartbeat table. Warden writes its row on the primary every probe cycle (the write probe) and reads
-- the replicated rows on replicas to measure lag with its own clock. Create it once on the primary.
CREATE DATABASE IF NOT EXISTS warden;
CREATE TABLE IF NOT EXISTS warden.heartbeat (
  server_id INT UNSIGNED NOT NULL PRIMARY KEY COMMENT 'server_id of the primary that wrote the row',
  seq BIGINT UNSIGNED NOT NULL COMMENT 'incremented by every write',
  ts TIMESTAMP(6) NOT NULL COMMENT 'primary clock at the write',
  writer VARCHAR(255) NOT NULL DEFAULT '' COMMENT 'which Warden process wrote it'
) ENGINE=InnoDB;
