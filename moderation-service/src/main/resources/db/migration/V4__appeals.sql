-- Owners' appeals of decisions about their agents, and how human moderators answered (written only by the platform
-- writer's evolve). One appeal per decision.
CREATE TABLE appeal (
    appeal_id   UUID PRIMARY KEY,
    agent_id    UUID NOT NULL,
    decision_id UUID NOT NULL UNIQUE,
    statement   TEXT NOT NULL,
    filed_by    TEXT NOT NULL,
    filed_at    TIMESTAMPTZ NOT NULL,
    decided_at  TIMESTAMPTZ,
    outcome     TEXT,
    reversal_id UUID,
    decided_by  TEXT,
    answer      TEXT
);
CREATE INDEX ON appeal (filed_at) WHERE decided_at IS NULL;
CREATE INDEX ON appeal (agent_id);
