-- When Appraise learned each record (DESIGN.md, point-in-time), beside when it happened
-- (occurred_at). Recorded for audits; back-dated runs use the event-time view instead: history
-- imported later is still what happened, so a run as of April counts a ticket imported in June
-- with the instants it carries (core/metrics/aggregate.ts, "Point in time").
-- Existing rows get their import's time where known; rows written without an import (the demo,
-- hand-written SQL) get the time of this migration, the earliest Appraise can vouch for.
ALTER TABLE records ADD COLUMN learned_at timestamptz NOT NULL DEFAULT now();
-- The typed tables' triggers would copy every updated row again; learned_at is not in them.
ALTER TABLE records DISABLE TRIGGER USER;
UPDATE records AS r SET learned_at = COALESCE(i.finished_at, i.started_at) FROM imports AS i WHERE r.import_id = i.id;
ALTER TABLE records ENABLE TRIGGER USER;
