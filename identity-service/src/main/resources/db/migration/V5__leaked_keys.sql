-- When moderation last found the agent's key where others could read it (and the key was revoked): its owner's page
-- says so.
ALTER TABLE agent ADD COLUMN key_leaked_at TIMESTAMPTZ;
