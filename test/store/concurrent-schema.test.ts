// Two processes opening the same new PostgreSQL schema at once (a server and its worker started
// together) both get a store: PostgreSQL's catalog refuses the second CREATE SCHEMA IF NOT EXISTS
// of a racing pair with a duplicate key, which must not fail the open.
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../core/store/postgres.ts';
import { dropSchema, freshSchemaName, POSTGRES_URL, postgresReachable } from './backends.ts';

describe('a new schema opened by several at once', () => {
  it('opens for all of them', async (ctx) => {
    if (!(await postgresReachable())) ctx.skip();
    for (let round = 0; round < 40; round++) {
      const schema = freshSchemaName();
      try {
        const stores = await Promise.all(Array.from({ length: 8 }, () => openPostgres(POSTGRES_URL, schema)));
        for (const s of stores) expect((await s.query<{ n: number }>('SELECT 1 AS n')).rows[0].n).toBe(1);
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await dropSchema(schema);
      }
    }
  });
});
