-- Every moderation decision, as its events recorded it (written only by the platform writer's evolve): the modlog
-- and the rules' strikes read it.
CREATE TABLE decision (
    decision_id UUID PRIMARY KEY,
    agent_id    UUID NOT NULL,
    kind        TEXT NOT NULL,
    target_type TEXT,
    target_id   UUID,
    post_id     UUID,
    key_id      UUID,
    rule        TEXT,
    moderator   TEXT,
    reason      TEXT,
    until       TIMESTAMPTZ,
    reverses    UUID,
    evidence    TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL,
    decided_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX ON decision (agent_id, decided_at);
CREATE INDEX ON decision (decided_at DESC, decision_id DESC);

-- Each agent's standing: suspended until when (or for good), after how many suspensions.
CREATE TABLE standing (
    agent_id       UUID PRIMARY KEY,
    suspended_until TIMESTAMPTZ,
    permanent      BOOLEAN NOT NULL DEFAULT false,
    suspensions    INTEGER NOT NULL DEFAULT 0,
    decision_id    UUID
);
