-- Notifications (core/notifications/): each person's choice about non-essential notices, and a
-- record of every notice Appraise sent, skipped or held for a digest, per person. Nothing is
-- deleted: a data-subject export reads "notifications sent" from here, and a changed preference
-- keeps who changed it and when (the audit log keeps the earlier values).

CREATE TABLE notification_preferences (
  employee_id text PRIMARY KEY,
  opt_out     boolean NOT NULL DEFAULT false,   -- no non-essential notices at all
  digest      boolean NOT NULL DEFAULT false,   -- non-essential notices gathered in one email a day
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE notifications_sent (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  outbox_id   bigint REFERENCES outbox (id),    -- the delivery it belongs to; null for a test send
  employee_id text,                             -- the person it is for; null for an HR address or a test
  audience    text NOT NULL CHECK (audience IN ('employee', 'manager', 'hr', 'test')),
  recipient   text,                             -- the address; null when the person has none
  channel     text NOT NULL DEFAULT 'email',
  event       text NOT NULL,                    -- the notice: case.opened, pip.plan, …, or notice.digest
  essential   boolean NOT NULL DEFAULT false,
  subject     text,
  status      text NOT NULL CHECK (status IN ('sent', 'skipped', 'held')),
  reason      text,                             -- why skipped or held: opted out, no address, digest, storm
  message_id  text,
  body        jsonb,                            -- a held notice's title, text and link, for its digest
  digest_key  text,                             -- the digest that gathered a held notice
  at          timestamptz NOT NULL DEFAULT now()
);
-- One outcome per delivery and recipient: a retry after a lost answer never mails the same person twice.
CREATE UNIQUE INDEX notifications_sent_once ON notifications_sent (outbox_id, audience, coalesce(recipient, '')) WHERE outbox_id IS NOT NULL;
CREATE INDEX notifications_sent_employee ON notifications_sent (employee_id, at);
CREATE INDEX notifications_sent_recipient ON notifications_sent (recipient, at);
CREATE INDEX notifications_sent_held ON notifications_sent (status, digest_key) WHERE status = 'held';
