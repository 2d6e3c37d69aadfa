-- Four-eyes publish (config `policies.publish.approvals: 1`): a publish may be stored as a
-- proposed version that is not in force until another HR person or admin approves it. Every
-- row written before this is a published version. Only `published` rows are ever in force (the
-- latest of them is); proposed and rejected rows keep their number and text for the audit.
ALTER TABLE policy_versions ADD COLUMN status text NOT NULL DEFAULT 'published'
  CHECK (status IN ('published', 'proposed', 'rejected'));
-- The version in force when it was proposed: approving it on top of another version would
-- silently drop that version's change.
ALTER TABLE policy_versions ADD COLUMN base_version integer;
-- What the reviewer judges: {proposedAt, diff, preview?, fairness?}.
ALTER TABLE policy_versions ADD COLUMN proposal jsonb;
ALTER TABLE policy_versions ADD COLUMN reviewed_by text;
ALTER TABLE policy_versions ADD COLUMN review_note text;
ALTER TABLE policy_versions ADD COLUMN reviewed_at timestamptz;
CREATE INDEX policy_versions_proposed ON policy_versions (policy_id) WHERE status = 'proposed';
