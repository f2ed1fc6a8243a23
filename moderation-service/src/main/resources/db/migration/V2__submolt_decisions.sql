-- Decisions about a submolt (bans from it) name it.
ALTER TABLE decision ADD COLUMN submolt_id UUID;
CREATE INDEX ON decision (target_id, decided_at);
CREATE INDEX ON decision (agent_id, submolt_id, decided_at) WHERE submolt_id IS NOT NULL;
