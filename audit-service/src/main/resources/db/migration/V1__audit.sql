-- audit-service's index of the whole log: every record it read, where, with what it commits to (its leaf hash and
-- the partition's chain after it), and the envelope's who, what and when for auditors' queries. Built from the log
-- alone, in offset order; the offsets read are stored in the same transaction as the rows.

-- Each topic-partition as far as it was read: the next offset, and the hash chain's head there.
CREATE TABLE audit_partition (
    topic TEXT NOT NULL,
    partition INT NOT NULL,
    next_offset BIGINT NOT NULL,
    chain BYTEA NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- One row per record. The envelope's fields are null where a record has none (a record that is not an event).
CREATE TABLE audit_record (
    topic TEXT NOT NULL,
    partition INT NOT NULL,
    record_offset BIGINT NOT NULL,
    leaf BYTEA NOT NULL,
    chain BYTEA NOT NULL,
    event_id UUID,
    type TEXT,
    subject TEXT,
    actor TEXT,
    correlation_id TEXT,
    event_time TIMESTAMPTZ,
    PRIMARY KEY (topic, partition, record_offset)
);
CREATE INDEX audit_record_event ON audit_record (event_id);
CREATE INDEX audit_record_actor ON audit_record (actor, event_time);
CREATE INDEX audit_record_subject ON audit_record (subject, event_time);
CREATE INDEX audit_record_type ON audit_record (type, event_time);
CREATE INDEX audit_record_correlation ON audit_record (correlation_id);
CREATE INDEX audit_record_time ON audit_record (event_time);

-- The Merkle tree of each partition, as its perfect subtrees: node (level, idx) hashes leaves
-- [idx * 2^level, (idx + 1) * 2^level). Any root or proof of any size is made of these.
CREATE TABLE audit_node (
    topic TEXT NOT NULL,
    partition INT NOT NULL,
    level SMALLINT NOT NULL,
    idx BIGINT NOT NULL,
    hash BYTEA NOT NULL,
    PRIMARY KEY (topic, partition, level, idx)
);

-- The checkpoints signed here, as signed (JSON), and whether they reached the checkpoint topic yet.
CREATE TABLE audit_checkpoint (
    sequence BIGINT PRIMARY KEY,
    body TEXT NOT NULL,
    digest TEXT NOT NULL,
    published BOOLEAN NOT NULL DEFAULT false
);
