-- Version 4: retention and the topics' lifecycle.
-- A topic's own retention (NULL: the broker's default, LOGQUEUE_RETENTION_MS / _BYTES, 0 without
-- limit), its first retained offset, and the bytes of UTF-8 of its messages before that offset.
ALTER TABLE lq_topic ADD COLUMN retention_ms BIGINT;
ALTER TABLE lq_topic ADD COLUMN retention_bytes BIGINT;
ALTER TABLE lq_topic ADD COLUMN start_offset BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE lq_topic ADD COLUMN start_position BIGINT DEFAULT 0 NOT NULL;
-- How many messages retention deleted before the consumer read them, not told to it yet.
ALTER TABLE lq_consumer ADD COLUMN skipped BIGINT DEFAULT 0 NOT NULL;
-- A message's position: the bytes of UTF-8 of its topic's messages before it. It grows with the
-- offset, so that the offset where the newest N bytes begin is a binary search by primary key.
ALTER TABLE lq_message ADD COLUMN byte_position BIGINT;
MERGE INTO lq_message m
USING (
  SELECT topic_id, log_offset,
         SUM(OCTET_LENGTH(payload)) OVER (PARTITION BY topic_id ORDER BY log_offset)
           - OCTET_LENGTH(payload) AS pos
  FROM lq_message
) p
ON (m.topic_id = p.topic_id AND m.log_offset = p.log_offset)
WHEN MATCHED THEN UPDATE SET byte_position = p.pos;
ALTER TABLE lq_message ALTER COLUMN byte_position SET NOT NULL;
-- The highest ids issued when something was deleted (kind: topic, producer, consumer): ids are
-- restored as the greater of these and the highest stored, so a deleted id is never issued again.
CREATE TABLE lq_id_mark (
  kind VARCHAR(16) NOT NULL PRIMARY KEY,
  last_id BIGINT NOT NULL
);
-- Deleted topics whose messages below end_offset are still being deleted, in the background.
CREATE TABLE lq_deleted_topic (
  topic_id BIGINT NOT NULL PRIMARY KEY,
  end_offset BIGINT NOT NULL
);
