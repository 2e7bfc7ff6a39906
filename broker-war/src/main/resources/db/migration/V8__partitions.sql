-- Version 8: partitioned topics (README, "Partitions").
-- A topic of P partitions keeps its row (partition 0, partitions = P); partition p > 0 is a log of
-- its own, a row named '<topic>#<p>#<topic id>' (a name no client can give), created when first
-- used. A consumer of such a topic keeps its row (partition 0) and has a cursor row on each other
-- partition, created when first used, from where it was registered to start (start_at).
ALTER TABLE lq_topic ADD COLUMN partitions INTEGER DEFAULT 1 NOT NULL;
ALTER TABLE lq_consumer ADD COLUMN start_at VARCHAR(40);
