-- Version 7: a cluster of brokers over one database (README, "Cluster").
-- A slot is the unit of placement: the member that holds it serves the topics placed in it. It
-- claims it by raising its epoch; every commit that writes a topic of the slot checks, in its own
-- transaction, that the epoch is still the one its broker claimed, so that a member that lost the
-- slot (cut off, paused) can never commit to it again. Rows appear as slots are first claimed.
CREATE TABLE lq_slot (
  slot INTEGER NOT NULL PRIMARY KEY,
  epoch BIGINT NOT NULL,
  holder VARCHAR(255) NOT NULL,
  claimed_at BIGINT NOT NULL
);
-- The highest ids issued by a cluster's members (kind: topic, producer, consumer): each member
-- takes the next one here, in a transaction of its own.
CREATE TABLE lq_cluster_id (
  kind VARCHAR(16) NOT NULL PRIMARY KEY,
  last_id BIGINT NOT NULL
);
INSERT INTO lq_cluster_id (kind, last_id) VALUES ('topic', 0);
INSERT INTO lq_cluster_id (kind, last_id) VALUES ('producer', 0);
INSERT INTO lq_cluster_id (kind, last_id) VALUES ('consumer', 0);
-- The epoch of its slot under which a message was committed (null: by a single broker). Along a
-- topic's offsets it never decreases: what the failover drill checks.
ALTER TABLE lq_message ADD COLUMN writer_epoch BIGINT;
