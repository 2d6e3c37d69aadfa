-- Sources (connectors, core/sources/): what each sync did, where each source resumes, which
-- vendor person is which employee, and what a sync kept aside (records of people not known
-- yet, records that did not fit their kind). Nothing here is deleted by the application.

-- One row per sync, written when it starts and updated in the transaction of each batch, so its
-- counts are those of the batches that were committed. `sync_key` makes a scheduled tick run
-- in exactly one process.
CREATE TABLE source_syncs (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name              text NOT NULL,
  source_id         text NOT NULL,
  sync_key          text UNIQUE,
  trigger           text NOT NULL,            -- manual, schedule, api
  full_sync         boolean NOT NULL DEFAULT false,
  status            text NOT NULL DEFAULT 'running',  -- running, ok, failed, interrupted
  owner             text,
  started_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz,
  batches           integer NOT NULL DEFAULT 0,
  inserted          integer NOT NULL DEFAULT 0,
  duplicates        integer NOT NULL DEFAULT 0,
  employees_added   integer NOT NULL DEFAULT 0,
  employees_matched integer NOT NULL DEFAULT 0,
  parked            integer NOT NULL DEFAULT 0,
  unparked          integer NOT NULL DEFAULT 0,
  rejected          integer NOT NULL DEFAULT 0,
  deleted           integer NOT NULL DEFAULT 0,
  rate_limit_waits  integer NOT NULL DEFAULT 0,
  waited_ms         bigint NOT NULL DEFAULT 0,
  notes             jsonb NOT NULL DEFAULT '[]'::jsonb,
  error_code        text,
  error_message     text
);
CREATE INDEX source_syncs_name ON source_syncs (name, id DESC);

-- Where each source resumes: the cursor of its last committed batch.
CREATE TABLE source_state (
  name       text PRIMARY KEY,
  source_id  text NOT NULL,
  cursor     jsonb,
  sync_id    bigint REFERENCES source_syncs (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A vendor's person (a help-desk agent) as an employee on file, matched or added.
CREATE TABLE source_identities (
  source_name text NOT NULL,
  vendor_id   text NOT NULL,
  employee_id text NOT NULL,
  how         text NOT NULL,                  -- identity, employee-id, email, added
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_name, vendor_id)
);

-- Records whose person is not known yet: kept and stored by a later sync once the person is.
CREATE TABLE source_parked (
  source_name text NOT NULL,
  kind        text NOT NULL,
  vendor_id   text NOT NULL,
  person      text NOT NULL,
  record      jsonb NOT NULL,
  sync_id     bigint REFERENCES source_syncs (id),
  parked_at   timestamptz NOT NULL DEFAULT now(),
  stored_at   timestamptz,
  PRIMARY KEY (source_name, kind, vendor_id)
);
CREATE INDEX source_parked_waiting ON source_parked (source_name, person) WHERE stored_at IS NULL;

-- Records (and people) that did not fit: set aside with what was wrong, and the whole record.
CREATE TABLE source_rejects (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source_name text NOT NULL,
  sync_id     bigint REFERENCES source_syncs (id),
  kind        text NOT NULL,
  vendor_id   text NOT NULL,
  field       text NOT NULL,
  problem     text NOT NULL,
  record      jsonb NOT NULL,
  rejected_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source_name, kind, vendor_id, field, problem)
);

-- Records the vendor reported deleted: stored ones are kept (an audit may need them), one not
-- stored yet never is.
CREATE TABLE source_deleted (
  source_name text NOT NULL,
  kind        text NOT NULL,
  vendor_id   text NOT NULL,
  sync_id     bigint REFERENCES source_syncs (id),
  reported_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source_name, kind, vendor_id)
);

-- Each batch of a sync is an import, so that records keep pointing at how they arrived.
ALTER TABLE imports ADD COLUMN source_sync_id bigint REFERENCES source_syncs (id);
