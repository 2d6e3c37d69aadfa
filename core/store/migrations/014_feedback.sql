-- Two-way feedback and kudos (issue 19, core/people/feedback/). Nothing is deleted: each row
-- moves through states, and every step is a feedback_events row and an audit_log entry.

-- Kudos: from a colleague (giver_id), or a customer's compliment in a survey comment that a
-- manager turned into kudos (survey_record_id, unique: never twice for one comment). record_id
-- is the `feedback.kudos` record written with it, which the feedback.kudos metric counts.
CREATE TABLE kudos (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  receiver_id      text NOT NULL,
  source           text NOT NULL CHECK (source IN ('colleague', 'customer')),
  giver_id         text,
  -- who recorded it: the giver's token name, or the manager who turned the compliment into kudos
  given_by         text NOT NULL,
  message          text NOT NULL,
  value            text,
  survey_record_id bigint UNIQUE,
  record_id        bigint NOT NULL,
  status           text NOT NULL DEFAULT 'given' CHECK (status IN ('given')),
  given_at         timestamptz NOT NULL DEFAULT now(),
  CHECK ((source = 'colleague') = (giver_id IS NOT NULL)),
  CHECK ((source = 'customer') = (survey_record_id IS NOT NULL))
);
CREATE INDEX kudos_receiver ON kudos (receiver_id, given_at);
CREATE INDEX kudos_giver ON kudos (giver_id, given_at);

-- A manager's (or HR's) note on an employee: private (their managers and HR see it) or shared
-- (the employee sees it too). A private note may be shared later; a shared one stays shared.
CREATE TABLE feedback_notes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  employee_id text NOT NULL,
  author_id   text,
  author      text NOT NULL,
  body        text NOT NULL,
  visibility  text NOT NULL CHECK (visibility IN ('private', 'shared')),
  written_at  timestamptz NOT NULL DEFAULT now(),
  shared_at   timestamptz
);
CREATE INDEX feedback_notes_employee ON feedback_notes (employee_id, written_at);

-- Upward feedback from an employee to their manager. An anonymous one holds no author at all
-- (author_id and author are NULL) and only the day it was given, not the instant, which could
-- be matched against a token's last use. The manager acknowledges it: given → acknowledged.
CREATE TABLE upward_feedback (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  manager_id      text NOT NULL,
  anonymous       boolean NOT NULL,
  author_id       text,
  author          text,
  body            text NOT NULL,
  status          text NOT NULL DEFAULT 'given' CHECK (status IN ('given', 'acknowledged')),
  given_on        date NOT NULL,
  given_at        timestamptz,
  acknowledged_at timestamptz,
  CHECK (anonymous = (author_id IS NULL AND author IS NULL AND given_at IS NULL))
);
CREATE INDEX upward_feedback_manager ON upward_feedback (manager_id, given_on);

-- Each step of each of the above. actor is NULL for an anonymous upward feedback's steps by its author.
CREATE TABLE feedback_events (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz NOT NULL DEFAULT now(),
  subject    text NOT NULL CHECK (subject IN ('kudos', 'note', 'upward')),
  subject_id bigint NOT NULL,
  action     text NOT NULL,
  actor      text,
  data       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX feedback_events_subject ON feedback_events (subject, subject_id);
