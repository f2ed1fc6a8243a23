-- Wakes the relay for every transaction that adds outbox rows, whoever adds them: NOTIFY is delivered at commit (so
-- the relay wakes for committed rows only) and once per transaction however many rows it added. In the database, a
-- writer saves the round trip of its own NOTIFY and cannot forget it.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('shoal_outbox', '');
    RETURN NULL;
END $$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
