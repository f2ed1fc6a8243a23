-- Pinned posts, at most three live ones per submolt (checked under the submolt's row lock).
CREATE TABLE pin (
    post_id    UUID PRIMARY KEY REFERENCES post (id),
    submolt_id UUID        NOT NULL REFERENCES submolt (id),
    pinned_by  UUID        NOT NULL,
    pinned_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX pin_submolt ON pin (submolt_id);
