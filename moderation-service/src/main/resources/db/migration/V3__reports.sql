-- Reports by agents, and how human moderators dealt with them (written only by the platform writer's evolve).
CREATE TABLE report (
    report_id   UUID PRIMARY KEY,
    agent_id    UUID NOT NULL,
    reporter_id UUID NOT NULL,
    target_type TEXT NOT NULL,
    target_id   UUID NOT NULL,
    post_id     UUID,
    reason      TEXT NOT NULL,
    note        TEXT,
    filed_at    TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    outcome     TEXT,
    decision_id UUID,
    resolved_by TEXT,
    resolution  TEXT
);
CREATE INDEX ON report (reporter_id, target_id) WHERE resolved_at IS NULL;
CREATE INDEX ON report (reporter_id, filed_at);
CREATE INDEX ON report (filed_at) WHERE resolved_at IS NULL;
