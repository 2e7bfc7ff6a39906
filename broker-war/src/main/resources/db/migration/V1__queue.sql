-- LogQueue schema, version 1 (the first release: it created these tables itself, IF NOT EXISTS).
-- H2 and PostgreSQL alike. Later versions are V2__..., V3__... beside it (Flyway).
-- A topic: id in creation order, unique name.
CREATE TABLE IF NOT EXISTS lq_topic (
  id BIGINT NOT NULL PRIMARY KEY,
  name VARCHAR(249) NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS lq_producer (
  id BIGINT NOT NULL PRIMARY KEY,
  topic_id BIGINT NOT NULL REFERENCES lq_topic (id)
);
-- next_offset: the offset of the next message the consumer gets.
CREATE TABLE IF NOT EXISTS lq_consumer (
  id BIGINT NOT NULL PRIMARY KEY,
  topic_id BIGINT NOT NULL REFERENCES lq_topic (id),
  next_offset BIGINT NOT NULL
);
-- The log: offsets from 0 without gaps per topic; the text as UTF-8 bytes. No foreign key:
-- the broker writes messages only for topics it has committed, and inserts stay cheap.
CREATE TABLE IF NOT EXISTS lq_message (
  topic_id BIGINT NOT NULL,
  log_offset BIGINT NOT NULL,
  producer_id BIGINT NOT NULL,
  payload BYTEA NOT NULL,
  PRIMARY KEY (topic_id, log_offset)
);
