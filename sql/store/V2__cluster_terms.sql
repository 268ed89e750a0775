-- Warden's store, version 2: the newest leadership epoch of each cluster that the shared journal knows (several
-- managers only). A manager that becomes leader of a cluster raises it before it reads what the previous leader
-- left; every record an operation writes checks it first, in the same transaction, so a deposed leader's record
-- (one paused past its session between its proof and its write, say) is refused instead of written over the new
-- leader's.

CREATE TABLE cluster_terms (
  cluster    VARCHAR(64)  NOT NULL PRIMARY KEY,
  epoch      BIGINT       NOT NULL,
  manager    VARCHAR(200) NOT NULL,
  claimed_at BIGINT       NOT NULL
)${table};
