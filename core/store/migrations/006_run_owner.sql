-- A run records the process that runs it. While it runs, that process holds the store lock
-- `run:<id>` (a PostgreSQL session advisory lock, or the embedded store owner's lock table);
-- a `running` run whose lock is free has lost its process and is marked `interrupted`.
ALTER TABLE runs ADD COLUMN owner text;
