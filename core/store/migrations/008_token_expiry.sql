-- A token may expire: from `expires_at` on it signs nobody in (a 401 like an unknown token's,
-- with a code that says it expired). Revoked tokens stay, for the audit; who revoked one is
-- kept beside when, so the list of tokens can say it without reading the audit log.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN revoked_by text;
