-- Version 3: durable named consumers with their settings, explicit consumers' acknowledgements, and
-- where a dead-lettered copy came from.
-- A consumer's name is unique within its topic (anonymous consumers have none). ack_mode 'auto':
-- next_offset is the next message it gets; 'explicit': next_offset is its floor, below which every
-- message is settled, and lq_ack holds those settled above it.
ALTER TABLE lq_consumer ADD COLUMN name VARCHAR(249);
ALTER TABLE lq_consumer ADD COLUMN ack_mode VARCHAR(8) DEFAULT 'auto' NOT NULL;
ALTER TABLE lq_consumer ADD COLUMN lease_ms BIGINT DEFAULT 30000 NOT NULL;
ALTER TABLE lq_consumer ADD COLUMN max_deliveries INT DEFAULT 0 NOT NULL;
ALTER TABLE lq_consumer ADD COLUMN dead_letter_topic VARCHAR(249);
CREATE UNIQUE INDEX lq_consumer_name ON lq_consumer (topic_id, name);
CREATE TABLE lq_ack (
  consumer_id BIGINT NOT NULL,
  log_offset BIGINT NOT NULL,
  PRIMARY KEY (consumer_id, log_offset)
);
-- A copy in a dead-letter topic: the topic, offset and delivery count of the original.
ALTER TABLE lq_message ADD COLUMN origin_topic VARCHAR(249);
ALTER TABLE lq_message ADD COLUMN origin_offset BIGINT;
ALTER TABLE lq_message ADD COLUMN origin_deliveries INT;
