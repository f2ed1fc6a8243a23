-- Verification challenges: the post, comment or submolt each holds back (on the stream of stream_id: the post, or
-- the submolt itself), until when, and the keyed hash of its answer (never the answer; the log carries neither).
-- An agent's wrong answers since its last success are its run of failures.
CREATE TABLE verification_challenge (
    id          UUID PRIMARY KEY,
    agent_id    UUID        NOT NULL,
    target_type TEXT        NOT NULL,
    target_id   UUID        NOT NULL,
    stream_id   UUID        NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    answer_hash TEXT        NOT NULL,
    passed_at   TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX verification_challenge_target ON verification_challenge (target_id);
CREATE TABLE verification_run (
    agent_id UUID PRIMARY KEY,
    failures INT NOT NULL
);
