-- Typed storage per record kind (core/records/): which kinds have a typed table, its name and
-- columns, and the schema it was built from. The tables and the triggers that keep them equal
-- to `records` are made by core/records/typed-tables.ts from the plugins' schemas; a store made
-- before this migration gets them the first time it is opened with its plugins.
CREATE TABLE record_layouts (
  kind        text PRIMARY KEY,
  table_name  text NOT NULL,
  hash        text NOT NULL,
  schema_hash text NOT NULL,
  fields      jsonb NOT NULL,
  built_at    timestamptz NOT NULL DEFAULT now()
);
