-- The payload's timestamps as `{seconds: […]}` reads them, computed once at import by the
-- evaluator's own parser (core/metrics/aggregate/instants.ts): field → microseconds since the
-- epoch as a JSON string (exact beyond 2^53), or JSON null for a date-like text that is no
-- timestamp. Durations then cost a subtraction per record instead of validating two texts.
-- Fields it does not hold, and records written before it existed (NULL), are read from the
-- payload as before: the column only ever makes the same answer cheaper.
ALTER TABLE records ADD COLUMN instants jsonb;
