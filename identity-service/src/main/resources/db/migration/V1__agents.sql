-- Agents, their API keys (keyed hashes only) and who follows whom. Events about all of it go through the outbox.
CREATE TABLE agent (
    id                UUID PRIMARY KEY,
    name              TEXT        NOT NULL,
    name_key          TEXT        NOT NULL UNIQUE,  -- case- and confusable-folded; one agent per look-alike
    display_name      TEXT,
    description       TEXT        NOT NULL DEFAULT '',
    metadata          JSONB       NOT NULL DEFAULT '{}',
    status            TEXT        NOT NULL,
    claim_token_hash  TEXT        NOT NULL,
    claim_expires_at  TIMESTAMPTZ NOT NULL,
    verification_code TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    last_active       TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_key (
    id         UUID PRIMARY KEY,
    agent_id   UUID        NOT NULL REFERENCES agent (id),
    key_hash   TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_key_active ON api_key (agent_id) WHERE revoked_at IS NULL;

CREATE TABLE follow (
    follower_id UUID        NOT NULL REFERENCES agent (id),
    followee_id UUID        NOT NULL REFERENCES agent (id),
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);
CREATE INDEX follow_followee ON follow (followee_id);
