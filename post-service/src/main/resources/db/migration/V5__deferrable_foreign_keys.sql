-- A restore applies the service's own events in the order of their times, 500 to a transaction; with writer replicas
-- whose clocks differ by a few milliseconds, an event can come just before the one whose row it refers to. Foreign
-- keys checked at commit (of that batch) instead of at each statement absorb it. Commands are unchanged: their
-- constraints stay immediate unless a transaction defers them.
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT conrelid::regclass AS tbl, conname FROM pg_constraint
             WHERE contype = 'f' AND connamespace = 'public'::regnamespace LOOP
        EXECUTE format('ALTER TABLE %s ALTER CONSTRAINT %I DEFERRABLE INITIALLY IMMEDIATE', c.tbl, c.conname);
    END LOOP;
END $$;
