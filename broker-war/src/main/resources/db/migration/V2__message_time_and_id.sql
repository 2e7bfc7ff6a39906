-- Version 2: when each message was appended (milliseconds since 1970, UTC, never decreasing within
-- a topic; 0 for messages stored before this version) and the producer's optional message id, by
-- which a retried produce is recognised within the dedup window. The window is rebuilt at boot
-- from these columns, found by offset (the primary key): appended_at grows with the offset.
ALTER TABLE lq_message ADD COLUMN appended_at BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE lq_message ADD COLUMN message_id VARCHAR(128);
