-- Which rule made the stored name keys (NameKey.RULE): rule 1 was the hand-made folding, rule 2 Unicode's confusable
-- skeleton. identity-service remakes the keys at start when the rule moved on (NameKeyUpgrade).
CREATE TABLE name_key_rule (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    rule     INT     NOT NULL
);
INSERT INTO name_key_rule (rule) VALUES (1);
