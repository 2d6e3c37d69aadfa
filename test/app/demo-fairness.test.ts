// The CLI's fairness reports on the demo compare the same groups as the server's (`npm start`
// turns on the demo's protected attributes when the config names none); a config's own always wins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../store/backends.ts';
import { defaultConfig } from '../../core/config/config.ts';
import { DEMO_PROTECTED_ATTRIBUTES, withDemoFairness } from '../../core/app/demo-fairness.ts';
import type { Store } from '../../core/store/store.ts';

const pglite = BACKENDS.find((b) => b.name === 'pglite')!;

describe('fairness on the demo', () => {
  let store: Store & { dispose(): Promise<void> };
  beforeAll(async () => {
    store = await pglite.open();
  });
  afterAll(async () => store?.dispose());

  const employee = (id: string, source: string) =>
    store.query(`INSERT INTO employees (id, name, role, attributes, content_hash, source) VALUES ($1, $1, 'agent', '{}'::jsonb, 'h', $2)`, [id, source]);

  it('a store of imported people only: the config as it is', async () => {
    await employee('own-1', 'import');
    const config = defaultConfig();
    expect(await withDemoFairness(config, store)).toBe(config);
  });

  it('a store holding the demo: the demo protected attributes, unless the config names its own', async () => {
    await employee('demo-1', 'demo');
    const config = defaultConfig();
    expect((await withDemoFairness(config, store)).fairness.protectedAttributes).toEqual(DEMO_PROTECTED_ATTRIBUTES);
    expect(config.fairness.protectedAttributes).toEqual([]); // not changed in place
    const own = { ...config, fairness: { ...config.fairness, protectedAttributes: ['region'] } };
    expect(await withDemoFairness(own, store)).toBe(own);
  });
});
