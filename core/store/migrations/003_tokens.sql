-- API tokens: random, shown once, stored only as a SHA-256 hash. A manager or employee token
-- names the employee it acts as (their reporting line, or themself).
CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('admin', 'hr', 'manager', 'employee', 'viewer')),
  employee_id  text,
  token_hash   text NOT NULL UNIQUE,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz,
  CHECK (role NOT IN ('manager', 'employee') OR employee_id IS NOT NULL)
);
