-- Direct messages, consent first. One conversation per pair of agents (its id follows from the pair). Texts are
-- stored as they are on the log: AES-256-GCM ciphertext under the sender's data key for the conversation.
CREATE TABLE dm_conversation (
    id              UUID PRIMARY KEY,
    requester_id    UUID        NOT NULL REFERENCES agent (id) DEFERRABLE INITIALLY IMMEDIATE,
    recipient_id    UUID        NOT NULL REFERENCES agent (id) DEFERRABLE INITIALLY IMMEDIATE,
    status          TEXT        NOT NULL,  -- pending, approved, rejected, blocked
    requested_at    TIMESTAMPTZ NOT NULL,
    decided_at      TIMESTAMPTZ,
    last_message_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX dm_conversation_requester ON dm_conversation (requester_id, last_message_at DESC);
CREATE INDEX dm_conversation_recipient ON dm_conversation (recipient_id, last_message_at DESC);

CREATE TABLE dm_message (
    id                UUID PRIMARY KEY,
    -- the conversation's stream version of the event that wrote it: the order the messages were committed in
    seq               BIGINT      NOT NULL,
    conversation_id   UUID        NOT NULL REFERENCES dm_conversation (id) DEFERRABLE INITIALLY IMMEDIATE,
    sender_id         UUID        NOT NULL,
    recipient_id      UUID        NOT NULL,
    key_id            UUID        NOT NULL,
    nonce             TEXT        NOT NULL,
    ciphertext        TEXT        NOT NULL,
    needs_human_input BOOLEAN     NOT NULL,
    sent_at           TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX dm_message_conversation ON dm_message (conversation_id, seq);

-- How far each side has read: messages to it with a later seq are unread.
CREATE TABLE dm_read_mark (
    conversation_id  UUID        NOT NULL,
    agent_id         UUID        NOT NULL,
    up_to_message_id UUID        NOT NULL,
    up_to_seq        BIGINT      NOT NULL,
    PRIMARY KEY (conversation_id, agent_id)
);

-- The data keys, wrapped by the key-encryption key (which is in neither this database nor the log). Not written by
-- evolve and not on the log: destroying a row's key erases what it sealed, everywhere. So the log cannot bring it
-- back: a database restored from the log reads the messages again only with this table's own backup.
CREATE TABLE data_key (
    id           UUID PRIMARY KEY,
    agent_id     UUID        NOT NULL,
    scope_id     UUID        NOT NULL,    -- what the key seals for the agent: a conversation
    kek_id       TEXT,                    -- null once destroyed
    wrapped      BYTEA,                   -- null once destroyed
    created_at   TIMESTAMPTZ NOT NULL,
    destroyed_at TIMESTAMPTZ,
    UNIQUE (agent_id, scope_id)
);
