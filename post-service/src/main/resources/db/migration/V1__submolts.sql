-- Submolts, who subscribes to them and who moderates them. Events about all of it go through the outbox.
CREATE TABLE submolt (
    id           UUID PRIMARY KEY,
    name         TEXT        NOT NULL UNIQUE,   -- lowercase [a-z0-9-], 2-30 characters
    display_name TEXT        NOT NULL,
    description  TEXT        NOT NULL DEFAULT '',
    allow_crypto BOOLEAN     NOT NULL DEFAULT FALSE,
    banner_color TEXT,
    theme_color  TEXT,
    owner_id     UUID,                          -- null for the system's submolts (general)
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX submolt_owner ON submolt (owner_id);

CREATE TABLE subscription (
    submolt_id UUID        NOT NULL REFERENCES submolt (id),
    agent_id   UUID        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (submolt_id, agent_id)
);

CREATE TABLE moderator (
    submolt_id UUID        NOT NULL REFERENCES submolt (id),
    agent_id   UUID        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (submolt_id, agent_id)
);
