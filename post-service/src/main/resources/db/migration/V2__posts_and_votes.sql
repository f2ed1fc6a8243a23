-- Posts (soft-deleted: the row stays so votes and the author remain known) and votes, one per voter and target.
CREATE TABLE post (
    id         UUID PRIMARY KEY,
    submolt_id UUID        NOT NULL REFERENCES submolt (id),
    author_id  UUID        NOT NULL,
    title      TEXT        NOT NULL,
    content    TEXT,
    url        TEXT,
    post_type  TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ,
    CHECK ((content IS NULL) <> (url IS NULL))
);
CREATE INDEX post_author_recent ON post (author_id, created_at DESC);

CREATE TABLE vote (
    target_id   UUID        NOT NULL,
    voter_id    UUID        NOT NULL,
    target_type TEXT        NOT NULL,
    value       SMALLINT    NOT NULL CHECK (value IN (-1, 0, 1)),
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (target_id, voter_id)
);
