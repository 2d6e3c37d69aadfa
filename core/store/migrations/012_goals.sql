-- Goals of an employee or of a team, set by a manager or HR, proposed by the employee, or part
-- of a PIP's plan (case_id). A goal has a measure (a metric, its params, a target and a
-- direction, with minSamples) or is judged by hand with notes; a PIP goal may carry a written
-- criterion instead. Nothing is deleted: declined and cancelled are states, every step is a
-- goal_events row (and an audit_log entry).
CREATE TABLE goals (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  employee_id text,
  team        text,
  case_id     bigint REFERENCES cases (id),
  source      text NOT NULL CHECK (source IN ('manager', 'employee', 'pip')),
  title       text NOT NULL,
  description text,
  criterion   text,
  measure     jsonb,
  weight      numeric NOT NULL DEFAULT 1 CHECK (weight > 0),
  starts_at   timestamptz NOT NULL,
  due_at      timestamptz NOT NULL,
  status      text NOT NULL CHECK (status IN ('proposed', 'active', 'declined', 'met', 'missed', 'cancelled')),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  closed_at   timestamptz,
  CHECK ((employee_id IS NULL) <> (team IS NULL)),
  CHECK (due_at > starts_at)
);
CREATE INDEX goals_employee ON goals (employee_id, status);
CREATE INDEX goals_team ON goals (team, status);
CREATE INDEX goals_case ON goals (case_id);

CREATE TABLE goal_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  goal_id     bigint NOT NULL REFERENCES goals (id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  event       text NOT NULL,        -- created, transition, note
  from_status text,
  to_status   text,
  note        text,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX goal_events_goal ON goal_events (goal_id, id);
