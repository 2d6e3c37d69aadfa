-- Review cycles (core/people/reviews/): HR opens a cycle for a population with a template;
-- each employee in scope gets one review that moves through its lifecycle (open →
-- self-assessed → manager-assessed → signed by both → acknowledged). Nothing is deleted: a
-- review that will not happen is `cancelled`, deadline extensions and rating amendments are
-- events. The packet is assembled from data while the review runs and frozen at sign-off.

CREATE TABLE review_cycles (
  id              text PRIMARY KEY,                 -- `2026-Q4`, or `2026-Q4-support`
  period          text NOT NULL,                    -- the review period (core/run/period.ts)
  period_from     timestamptz NOT NULL,
  period_to       timestamptz NOT NULL,
  title           text NOT NULL,
  template_id     text NOT NULL,
  template_yaml   text NOT NULL,                    -- kept verbatim: a later edit of the file changes no open cycle
  template        jsonb NOT NULL,
  applies_to      jsonb NOT NULL DEFAULT '{}'::jsonb,  -- the same selector as a policy's appliesTo
  self_due_at     timestamptz NOT NULL,
  manager_due_at  timestamptz NOT NULL,
  signoff_due_at  timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_by       text NOT NULL,
  opened_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reviews (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  cycle_id           text NOT NULL REFERENCES review_cycles (id),
  employee_id        text NOT NULL,
  manager_id         text,                          -- the line manager when the cycle opened
  status             text NOT NULL DEFAULT 'open',
  self_assessment    jsonb,                         -- {sections: {id: {answer}}, summary}
  manager_assessment jsonb,                         -- {sections: {id: {rating, comment}}, summary, overall}
  overall_score      double precision,
  employee_signed_by text,
  employee_signed_at timestamptz,
  manager_signed_by  text,
  manager_signed_at  timestamptz,
  acknowledged_at    timestamptz,
  acknowledgement    text,                          -- the employee's comment, if any
  packet             jsonb,                         -- frozen at sign-off: the record kept
  packet_frozen_at   timestamptz,
  self_due_at        timestamptz NOT NULL,
  manager_due_at     timestamptz NOT NULL,
  signoff_due_at     timestamptz NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  -- idempotency: opening a cycle again adds no second review for anyone
  UNIQUE (cycle_id, employee_id)
);
CREATE INDEX reviews_employee ON reviews (employee_id);
CREATE INDEX reviews_cycle_status ON reviews (cycle_id, status);

CREATE TABLE review_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  review_id   bigint REFERENCES reviews (id),       -- null: an event of the whole cycle
  cycle_id    text NOT NULL REFERENCES review_cycles (id),
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  event       text NOT NULL,                        -- opened, transition, extended, amended
  from_status text,
  to_status   text,
  note        text,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX review_events_review ON review_events (review_id, id);
