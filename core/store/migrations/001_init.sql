-- The core schema: employees, their records, imports, policy versions, runs and decisions.
-- Runs unchanged on PGlite and PostgreSQL. Nothing here is ever deleted by the application:
-- records, versions, runs and decisions are what an audit reads.

CREATE TABLE employees (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  email        text,
  role         text,
  team         text,
  department   text,
  location     text,
  manager_id   text,
  hire_date    date,
  attributes   jsonb NOT NULL DEFAULT '{}'::jsonb,
  source       text,
  content_hash text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX employees_manager ON employees (manager_id);
CREATE INDEX employees_team ON employees (team);

CREATE TABLE imports (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  target        text NOT NULL,          -- 'employees' or 'records'
  kind          text,                   -- the record kind
  file          text NOT NULL,
  file_hash     text NOT NULL,
  mapping       text,
  actor         text,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  rows_read     integer NOT NULL DEFAULT 0,
  rows_inserted integer NOT NULL DEFAULT 0,
  rows_updated  integer NOT NULL DEFAULT 0,
  rows_unchanged integer NOT NULL DEFAULT 0,
  rows_rejected integer NOT NULL DEFAULT 0
);

CREATE TABLE records (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind        text NOT NULL,
  employee_id text NOT NULL,
  occurred_at timestamptz NOT NULL,
  payload     jsonb NOT NULL,
  source      text,
  -- the file's own id of the row, or a content hash when it has none: re-importing adds nothing
  external_id text NOT NULL,
  import_id   bigint REFERENCES imports (id),
  UNIQUE (kind, external_id)
);
-- The access path of a run: one kind, one window, all employees.
CREATE INDEX records_run_path ON records (kind, occurred_at, employee_id);

CREATE TABLE policy_versions (
  policy_id    text NOT NULL,
  version      integer NOT NULL,
  yaml         text NOT NULL,
  content_hash text NOT NULL,
  title        text NOT NULL,
  author       text NOT NULL,
  comment      text NOT NULL DEFAULT '',
  published_at timestamptz NOT NULL DEFAULT now(),
  rolled_back_from integer,
  PRIMARY KEY (policy_id, version)
);

CREATE TABLE runs (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_key         text UNIQUE,           -- a scheduled run's key: exactly one process runs it
  trigger         text NOT NULL,         -- manual, schedule, api
  as_of           timestamptz NOT NULL,
  dry_run         boolean NOT NULL DEFAULT false,
  status          text NOT NULL DEFAULT 'running',  -- running, completed, failed
  policy_versions jsonb NOT NULL DEFAULT '[]'::jsonb,
  started_at      timestamptz NOT NULL DEFAULT now(),
  finished_at     timestamptz,
  timings         jsonb NOT NULL DEFAULT '{}'::jsonb,
  counts          jsonb NOT NULL DEFAULT '{}'::jsonb,
  summary         jsonb NOT NULL DEFAULT '{}'::jsonb,
  error           text
);

CREATE TABLE decisions (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id         bigint NOT NULL REFERENCES runs (id),
  employee_id    text NOT NULL,
  policy_id      text NOT NULL,
  policy_version integer NOT NULL,
  period         text NOT NULL,
  rule_id        text NOT NULL,
  outcome        text NOT NULL,
  status         text NOT NULL,          -- fired, indeterminate, blocked, shadowed
  params         jsonb NOT NULL DEFAULT '{}'::jsonb,
  explanation    jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_run ON decisions (run_id);
CREATE INDEX decisions_employee ON decisions (employee_id, policy_id);
