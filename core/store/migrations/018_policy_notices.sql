-- The worker notice of each policy version that went in force (core/compliance/notices): the
-- generated notice as it was published, the SHA-256 of its text, and when the version's
-- decisions start opening cases (`policies.noticeDays` after it went in force). A notice is
-- written once and never changed: it is what the workers were told.
CREATE TABLE policy_notices (
  policy_id     text NOT NULL,
  version       integer NOT NULL,
  notice        jsonb NOT NULL,
  text_hash     text NOT NULL,
  notice_days   integer NOT NULL,
  enforced_from timestamptz NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (policy_id, version),
  FOREIGN KEY (policy_id, version) REFERENCES policy_versions (policy_id, version)
);
