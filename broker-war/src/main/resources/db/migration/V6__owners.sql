-- Version 6: a producer or consumer registered with a bearer token belongs to the token's subject
-- (null: registered while authentication was off, usable by any token that may use its topic).
ALTER TABLE lq_producer ADD COLUMN owner VARCHAR(255);
ALTER TABLE lq_consumer ADD COLUMN owner VARCHAR(255);
