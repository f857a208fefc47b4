-- The outbox NOTIFY names the event types the statement inserted (comma-separated), so a relay
-- wakes only the consumers that handle one of them; the others pass over the rows on their poll.
CREATE OR REPLACE FUNCTION "events"."notify_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('events_outbox', coalesce((SELECT string_agg(DISTINCT "type", ',') FROM inserted), ''));
  RETURN NULL;
END;
$$;

DROP TRIGGER "outbox_notify" ON "events"."outbox";

CREATE TRIGGER "outbox_notify" AFTER INSERT ON "events"."outbox"
  REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION "events"."notify_outbox"();
