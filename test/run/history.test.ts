// history.* facts (coaching and PIP cases in a window, a PIP in force) read the same whether a
// run asks for a few people (the cases are looked up by id) or for thousands (the window's cases
// of everyone are read and matched here): the same counts, and nobody outside the list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyFacts } from '../../core/run/history.ts';
import type { Store } from '../../core/store/store.ts';
import { memoryStore } from '../cases/helpers.ts';

const AS_OF = new Date('2026-10-01T00:00:00Z');
const WANTED = [
  { key: 'history.pip.isActive', fact: 'history.pip.isActive' },
  { key: 'history.coaching.total', fact: 'history.coaching.total' },
  { key: 'history.coaching.completed@90d', fact: 'history.coaching.completed', params: { window: '90d' } },
];

let store: Store;
const ids = Array.from({ length: 2600 }, (_, i) => `e${String(i).padStart(4, '0')}`);
beforeAll(async () => {
  store = await memoryStore();
  await store.query(`INSERT INTO employees (id, name, content_hash) SELECT x, x, 'x' FROM unnest($1::text[]) AS x`, [ids]);
  // Every 7th person has coaching (some completed, some long ago), every 50th a PIP in force,
  // every 90th a PIP that ended; some cases are after the as-of date.
  const rows: unknown[][] = [];
  ids.forEach((id, i) => {
    if (i % 7 === 0) rows.push(['coaching', i % 2 ? 'completed' : 'open', id, `2026-0${1 + (i % 9)}-15T00:00:00Z`]);
    if (i % 11 === 0) rows.push(['coaching', 'completed', id, '2026-10-05T00:00:00Z']);
    if (i % 50 === 0) rows.push(['pip', 'active', id, '2025-06-01T00:00:00Z']);
    if (i % 90 === 0) rows.push(['pip', 'succeeded', id, '2026-03-01T00:00:00Z']);
  });
  await store.query(
    `INSERT INTO cases (type, status, employee_id, policy_id, policy_version, rule_id, period, explanation, opened_at)
     SELECT t, s, e, 'p', 1, 'r' || n, 'x' || n, '{}', o::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS u(t, s, e, o, n)`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), rows.map((r) => r[3])],
  );
});
afterAll(async () => {
  await store.close();
});

const plain = (m: Map<string, Map<string, unknown>>) => Object.fromEntries([...m].map(([id, f]) => [id, Object.fromEntries(f)]));

describe('history facts', () => {
  it('for thousands of people equal those read a few at a time, and hold nobody outside the list', async () => {
    const many = ids.slice(0, 2500);
    const all = plain(await historyFacts(store, AS_OF, WANTED, many));
    const few: Record<string, unknown> = {};
    for (let i = 0; i < many.length; i += 100) Object.assign(few, plain(await historyFacts(store, AS_OF, WANTED, many.slice(i, i + 100))));
    expect(all).toEqual(few);
    expect(Object.keys(all)).toHaveLength(2500);
    expect(all.e2550).toBeUndefined();
    // and they say what the cases say
    expect(all.e0050).toMatchObject({ 'history.pip.isActive': { value: true }, 'history.coaching.total': { value: 0 } });
    expect(all.e0007).toMatchObject({ 'history.pip.isActive': { value: false }, 'history.coaching.total': { value: 1 }, 'history.coaching.completed@90d': { value: 1 } }); // completed, opened 15 August
    expect(all.e0014).toMatchObject({ 'history.coaching.total': { value: 1 }, 'history.coaching.completed@90d': { value: 0 } }); // open, opened 15 June
    expect(all.e0001).toMatchObject({ 'history.pip.isActive': { value: false }, 'history.coaching.total': { value: 0 } });
    expect(all.e0011).toMatchObject({ 'history.coaching.total': { value: 0 } }); // its coaching is after the as-of date
  });
});
