-- Disputes: an employee, or their manager, disputes a case (or a review rating) with a reason,
-- and HR resolves it: upheld, amended or overturned, always with a note; the one who raised it
-- may withdraw it while it is open. The subject is generic (core/people/disputes/subject.ts):
-- `case` with the case id, `review` with the review id and the rating's section. Nothing is
-- deleted: a dispute keeps its reason and resolution, and every step is a dispute_events row.
CREATE TABLE disputes (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subject_type    text NOT NULL CHECK (subject_type IN ('case', 'review')),
  subject_id      bigint NOT NULL,
  section         text,                 -- a review's rated section; null for a case
  employee_id     text NOT NULL,        -- whose record the subject is: decides who sees the dispute
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'amended', 'overturned', 'withdrawn')),
  reason          text NOT NULL,
  raised_by       text NOT NULL,
  raised_by_employee text,              -- the raiser's employee id, for "withdrawn by the one who raised it"
  raised_as       text NOT NULL CHECK (raised_as IN ('employee', 'manager')),
  raised_at       timestamptz NOT NULL DEFAULT now(),
  resolution_note text,
  amendment       jsonb,                -- what an amendment changed: {before, after}
  closed_by       text,
  closed_at       timestamptz
);
-- One open dispute per subject (and section) at a time.
CREATE UNIQUE INDEX disputes_one_open ON disputes (subject_type, subject_id, coalesce(section, '')) WHERE status = 'open';
CREATE INDEX disputes_subject ON disputes (subject_type, subject_id);
CREATE INDEX disputes_employee ON disputes (employee_id, status);
CREATE INDEX disputes_status ON disputes (status, raised_at);

CREATE TABLE dispute_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dispute_id  bigint NOT NULL REFERENCES disputes (id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  event       text NOT NULL,            -- raised, upheld, amended, overturned, withdrawn
  from_status text,
  to_status   text NOT NULL,
  note        text,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX dispute_events_dispute ON dispute_events (dispute_id, id);
