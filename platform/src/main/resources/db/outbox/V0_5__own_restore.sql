-- A service's own tables are a projection of its own events, so a lost database is rebuilt from the log. How far a
-- restore has got: the next offset per partition of the service's own topics, stored in the transaction that applied
-- the events before it, so a restore that stopped goes on from there and applies nothing twice.
CREATE TABLE own_restore_offset (
    topic       TEXT   NOT NULL,
    partition   INT    NOT NULL,
    next_offset BIGINT NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- One row once the tables hold every event of the service's own topics up to where the log ended when the restore
-- began, or when there was nothing to restore. Until then the service refuses commands.
CREATE TABLE own_restore (
    done        BOOLEAN     PRIMARY KEY DEFAULT true CHECK (done),
    finished_at TIMESTAMPTZ NOT NULL,
    events      BIGINT      NOT NULL
);

-- A database that already holds what the writer wrote needs no restore.
INSERT INTO own_restore (finished_at, events)
SELECT now(), 0 WHERE EXISTS (SELECT 1 FROM event_stream) OR EXISTS (SELECT 1 FROM outbox);
