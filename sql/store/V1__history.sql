-- Warden's store, version 1: operations and their steps, hook outcomes, findings history, operator controls
-- (acknowledgements, maintenance windows, anti-flap blocks, fenced servers) and the audit of user actions.
-- One text for SQLite and MySQL: ${id} is the auto-increment key, ${long_text} a large text column, ${table}
-- the table options. Times are milliseconds since the epoch (UTC).

CREATE TABLE operations (
  id              VARCHAR(100) NOT NULL PRIMARY KEY,
  cluster         VARCHAR(64)  NOT NULL,
  kind            VARCHAR(16)  NOT NULL,
  started_by      VARCHAR(300) NOT NULL,
  trigger_text    ${long_text} NOT NULL,
  old_primary     VARCHAR(300),
  candidate       VARCHAR(300),
  data_loss_bound BIGINT       NOT NULL,
  plan_json       ${long_text} NOT NULL,
  evidence_json   ${long_text} NOT NULL,
  started_at      BIGINT       NOT NULL,
  ended_at        BIGINT,
  outcome         VARCHAR(16)  NOT NULL,
  summary         ${long_text} NOT NULL,
  write_pause_ms  BIGINT,
  manager         VARCHAR(200) NOT NULL
)${table};
CREATE INDEX operations_by_cluster ON operations (cluster, started_at);
CREATE INDEX operations_by_outcome ON operations (outcome);

-- One row per step, written before the step runs (status RUNNING) and again when it ends.
CREATE TABLE operation_steps (
  operation_id VARCHAR(100) NOT NULL,
  idx          INT          NOT NULL,
  kind         VARCHAR(32)  NOT NULL,
  server       VARCHAR(300),
  description  ${long_text} NOT NULL,
  is_undo      INT          NOT NULL,
  step_json    ${long_text} NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  detail       ${long_text} NOT NULL,
  started_at   BIGINT,
  ended_at     BIGINT,
  effective_at BIGINT,
  PRIMARY KEY (operation_id, idx)
)${table};

CREATE TABLE hook_outcomes (
  id           ${id},
  operation_id VARCHAR(100) NOT NULL,
  hook         VARCHAR(200) NOT NULL,
  event        VARCHAR(64)  NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  attempts     INT          NOT NULL,
  millis       BIGINT       NOT NULL,
  gate         INT          NOT NULL,
  detail       ${long_text},
  recorded_at  BIGINT       NOT NULL
)${table};
CREATE INDEX hook_outcomes_by_operation ON hook_outcomes (operation_id);

-- A finding is open while cleared_at is null; last_seen is refreshed while it holds.
CREATE TABLE findings (
  id            ${id},
  cluster       VARCHAR(64)  NOT NULL,
  code          VARCHAR(64)  NOT NULL,
  server        VARCHAR(300) NOT NULL,
  first_seen    BIGINT       NOT NULL,
  last_seen     BIGINT       NOT NULL,
  cleared_at    BIGINT,
  sentence      ${long_text} NOT NULL,
  evidence_json ${long_text} NOT NULL
)${table};
CREATE INDEX findings_by_cluster ON findings (cluster, cleared_at);

CREATE TABLE acknowledgements (
  id        ${id},
  cluster   VARCHAR(64)  NOT NULL,
  who       VARCHAR(200) NOT NULL,
  source    VARCHAR(100),
  at        BIGINT       NOT NULL,
  lifted    ${long_text} NOT NULL
)${table};

-- Open while ended_at is null and ends_at (if any) is in the future. server is '' for the whole cluster.
CREATE TABLE maintenance_windows (
  id         ${id},
  cluster    VARCHAR(64)  NOT NULL,
  server     VARCHAR(300) NOT NULL,
  who        VARCHAR(200) NOT NULL,
  source     VARCHAR(100),
  reason     ${long_text},
  started_at BIGINT       NOT NULL,
  ends_at    BIGINT,
  ended_at   BIGINT,
  ended_by   VARCHAR(200)
)${table};
CREATE INDEX maintenance_by_cluster ON maintenance_windows (cluster, ended_at);

-- The anti-flap block and the last failover, one row per cluster.
CREATE TABLE cluster_state (
  cluster              VARCHAR(64)  NOT NULL PRIMARY KEY,
  anti_flap_until      BIGINT,
  last_failover_op     VARCHAR(100),
  last_failover_old    VARCHAR(300),
  last_failover_new    VARCHAR(300),
  last_failover_at     BIGINT,
  updated_at           BIGINT       NOT NULL
)${table};

-- Old primaries that must stay read-only until they replicate from the new primary.
CREATE TABLE fenced_servers (
  cluster      VARCHAR(64)  NOT NULL,
  server       VARCHAR(300) NOT NULL,
  operation_id VARCHAR(100),
  since        BIGINT       NOT NULL,
  PRIMARY KEY (cluster, server)
)${table};

CREATE TABLE user_actions (
  id      ${id},
  at      BIGINT       NOT NULL,
  who     VARCHAR(200) NOT NULL,
  source  VARCHAR(100),
  action  VARCHAR(64)  NOT NULL,
  cluster VARCHAR(64),
  target  VARCHAR(300),
  detail  ${long_text},
  outcome VARCHAR(32)  NOT NULL
)${table};
CREATE INDEX user_actions_by_time ON user_actions (at);
