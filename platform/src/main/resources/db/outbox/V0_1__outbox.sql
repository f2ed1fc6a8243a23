-- The transactional outbox: a service inserts its events here in the same transaction as its state change;
-- OutboxRelay publishes them to Kafka in commit order and marks them published.
CREATE TABLE outbox (
    seq            BIGSERIAL PRIMARY KEY,
    event_id       UUID        NOT NULL UNIQUE,
    topic          TEXT        NOT NULL,
    source         TEXT        NOT NULL,
    type           TEXT        NOT NULL,
    subject        TEXT        NOT NULL,
    occurred_at    TIMESTAMPTZ NOT NULL,
    actor          TEXT        NOT NULL,
    correlation_id TEXT,
    data           BYTEA       NOT NULL,
    published_at   TIMESTAMPTZ
);
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
