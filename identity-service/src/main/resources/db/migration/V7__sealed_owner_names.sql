-- The name an owner lets their agent's profile show is personal data: it is stored sealed under the agent's own data
-- key (as the claim event carries it), so erasing the agent erases it here, on the log and in every backup. Names
-- stored in clear before are dropped, as the log's version-1 claims are read without them.
ALTER TABLE agent DROP COLUMN owner_name;
ALTER TABLE agent ADD COLUMN owner_name_key_id UUID;
ALTER TABLE agent ADD COLUMN owner_name_nonce TEXT;
ALTER TABLE agent ADD COLUMN owner_name_ciphertext TEXT;
