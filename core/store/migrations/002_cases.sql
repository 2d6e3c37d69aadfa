-- Cases opened by fired rules, their append-only events, exemptions, suppressed decisions,
-- the transactional outbox of workflow deliveries, and the audit log. Nothing is deleted:
-- cancelled is a state, a delivery that gave up is `dead`, an expired exemption stays on file.

CREATE TABLE cases (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type               text NOT NULL CHECK (type IN ('recognition', 'coaching', 'pip')),
  status             text NOT NULL,
  employee_id        text NOT NULL,
  policy_id          text NOT NULL,
  policy_version     integer NOT NULL,
  rule_id            text NOT NULL,
  period             text NOT NULL,
  run_id             bigint REFERENCES runs (id),
  decision_id        bigint REFERENCES decisions (id),
  params             jsonb NOT NULL DEFAULT '{}'::jsonb,
  explanation        jsonb NOT NULL,
  approval           text NOT NULL DEFAULT 'none' CHECK (approval IN ('required', 'none')),
  workflows          jsonb NOT NULL DEFAULT '[]'::jsonb,  -- fired on opening and on each transition
  goals              jsonb,
  due_at             timestamptz,
  checkin_every_days integer,
  next_checkin_at    timestamptz,
  scheduled_for      timestamptz,
  superseded_by      bigint REFERENCES cases (id),
  opened_at          timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  closed_at          timestamptz,
  -- idempotency: one case per policy, rule, employee and review period, however often a run repeats
  UNIQUE (policy_id, rule_id, employee_id, period)
);
CREATE INDEX cases_employee ON cases (employee_id, type, status);
CREATE INDEX cases_status ON cases (type, status);
-- at most one PIP in force per employee
CREATE UNIQUE INDEX cases_one_pip_in_force ON cases (employee_id)
  WHERE type = 'pip' AND status IN ('approved', 'acknowledged', 'active', 'paused', 'extended');

CREATE TABLE case_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     bigint NOT NULL REFERENCES cases (id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  event       text NOT NULL,        -- opened, transition, checkin, note, goals, superseded
  from_status text,
  to_status   text,
  note        text,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE exemptions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  employee_id text NOT NULL,
  policy_id   text,                 -- null: every policy
  outcome     text CHECK (outcome IN ('recognition', 'coaching', 'pip')),  -- null: every outcome
  reason      text NOT NULL,
  starts_at   timestamptz NOT NULL DEFAULT now(),
  until       timestamptz NOT NULL,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  revoked_by  text,
  CHECK (policy_id IS NOT NULL OR outcome IS NOT NULL)
);
CREATE INDEX exemptions_employee ON exemptions (employee_id);

-- Fired decisions that opened no case, and why (cooldown, exemption, audit mode, an open PIP…).
CREATE TABLE suppressions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id      bigint NOT NULL REFERENCES runs (id),
  decision_id bigint REFERENCES decisions (id),
  employee_id text NOT NULL,
  policy_id   text NOT NULL,
  rule_id     text NOT NULL,
  outcome     text NOT NULL,
  reason      text NOT NULL,        -- cooldown, exemption, audit, conflict, pip-in-force, duplicate
  detail      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppressions_run ON suppressions (run_id);

CREATE TABLE outbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  case_id         bigint REFERENCES cases (id),
  workflow        text NOT NULL,
  event           text NOT NULL,
  payload         jsonb NOT NULL,
  config          jsonb NOT NULL DEFAULT '{}'::jsonb,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'in_flight', 'delivered', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_by      text,
  claimed_until   timestamptz,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

CREATE TABLE audit_log (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at       timestamptz NOT NULL DEFAULT now(),
  actor    text NOT NULL,
  action   text NOT NULL,           -- policy.publish, policy.rollback, case.transition, import, token.create…
  target   text NOT NULL,
  before   jsonb,
  after    jsonb,
  data     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at ON audit_log (at);
