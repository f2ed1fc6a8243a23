-- Each event carries its aggregate's version (1, 2, 3, ... per subject), so a reader can prove it saw every one in
-- order. Rows written before versions existed keep 0, which the relay publishes without the header.
ALTER TABLE outbox ADD COLUMN aggregate_version BIGINT NOT NULL DEFAULT 0;
