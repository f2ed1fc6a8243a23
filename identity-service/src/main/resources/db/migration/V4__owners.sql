-- Claims and owners: who owns an agent (an OpenID Connect subject, never an email), the name they let its profile
-- show, and whether they suspended it. Claim links are found by their keyed hash.
ALTER TABLE agent ADD COLUMN owner_subject TEXT;
ALTER TABLE agent ADD COLUMN owner_name TEXT;
ALTER TABLE agent ADD COLUMN claimed_at TIMESTAMPTZ;
ALTER TABLE agent ADD COLUMN suspended BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX agent_owner ON agent (owner_subject) WHERE owner_subject IS NOT NULL;
CREATE INDEX agent_claim_token ON agent (claim_token_hash);
