-- One row per stream a service writes: a topic and a subject (the Kafka key), with the version of its last event.
-- The writer locks the row before it decides, so two commands on one stream never interleave, and numbers each
-- event one past the last: on the topic, a subject's events carry 1, 2, 3, ... with no gap and no repeat.
CREATE TABLE event_stream (
    topic   TEXT   NOT NULL,
    subject TEXT   NOT NULL,
    version BIGINT NOT NULL,
    PRIMARY KEY (topic, subject)
);
