-- Comments: nested replies (depth 0 at the top), soft-deleted so a thread keeps its shape.
CREATE TABLE comment (
    id         UUID PRIMARY KEY,
    post_id    UUID        NOT NULL REFERENCES post (id),
    parent_id  UUID REFERENCES comment (id),
    author_id  UUID        NOT NULL,
    content    TEXT        NOT NULL,
    depth      INT         NOT NULL CHECK (depth BETWEEN 0 AND 10),
    created_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ
);
CREATE INDEX comment_author_recent ON comment (author_id, created_at DESC);
CREATE INDEX comment_post ON comment (post_id);
