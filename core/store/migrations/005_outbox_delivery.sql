-- What each delivery attempt did, so that nobody is told "dead" about a delivery that may have
-- arrived. An attempt ends `delivered` (2xx), `failed` (the receiver refused it or could not be
-- reached: not delivered), `refused` (never sent: a host outside the allow-list, no secret) or
-- `unknown` (timed out, or the connection broke after sending, or the worker died mid-attempt:
-- it may have been delivered). Retries of every kind carry the same Idempotency-Key.
--
-- A claim has two phases: `attempt_started_at` is NULL while a row is claimed but not yet
-- attempted (a short pick-up lease, released when the worker stops, and taken over within
-- seconds when it dies), and set when the attempt starts (the lease then covers the workflow's
-- timeout).
ALTER TABLE outbox ADD COLUMN attempt_started_at timestamptz;
ALTER TABLE outbox ADD COLUMN last_outcome text CHECK (last_outcome IN ('delivered', 'failed', 'refused', 'unknown'));
ALTER TABLE outbox ADD COLUMN unknown_attempts integer NOT NULL DEFAULT 0;

CREATE TABLE outbox_attempts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  outbox_id   bigint NOT NULL REFERENCES outbox (id),
  attempt     integer NOT NULL,
  worker      text NOT NULL,
  started_at  timestamptz,
  finished_at timestamptz NOT NULL DEFAULT now(),
  outcome     text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'refused', 'unknown')),
  error       text
);
CREATE INDEX outbox_attempts_outbox ON outbox_attempts (outbox_id, attempt);
