// What `npm start` does before serving: publish the shipped policies when none is published,
// load a demo organisation into an empty store (clearly labelled as demo data), report fairness
// by the demo's protected attributes unless the config names its own, and create a fresh admin
// token for this start (the previous start's token is revoked).
import { fileURLToPath } from 'node:url';
import { loadWorkspace } from '../policy/workspace.ts';
import { listPolicies, publishPolicy } from '../policy/versions.ts';
import { createToken, revokeToken } from '../auth/tokens.ts';
import type { Appraise } from './appraise.ts';
import { DEMO_PROTECTED_ATTRIBUTES, withDemoFairness } from './demo-fairness.ts';
import { loadDemoOrganisation } from './demo-data.ts';

const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));
const START_TOKEN = 'npm-start-admin';

export async function firstStart(app: Appraise, say: (m: string) => void): Promise<string> {
  await prepareDemoStore(app, say);
  await demoFairness(app, say);
  await revokeToken(app.store, START_TOKEN, 'appraise');
  const { token } = await createToken(app.store, { name: START_TOKEN, role: 'admin', createdBy: 'appraise' });
  return token;
}

/**
 * What a fresh store needs before the demo makes sense (`npx appraise demo load`): the shipped
 * policies published when none is, and the demo organisation when there are no employees.
 * Each step is skipped when its data is already there, so this is safe to repeat.
 */
export async function prepareDemoStore(app: Appraise, say: (m: string) => void): Promise<void> {
  if ((await listPolicies(app.store)).length === 0) {
    const ws = await loadWorkspace([RULES_DIR], app.registry);
    for (const [id, p] of ws.byId) {
      const { version } = await publishPolicy(app.store, { policy: p.policy, yaml: p.source!.text, author: 'appraise', comment: 'shipped policy, published on first start', notice: app.noticeContext });
      say(`published ${id} v${version.version}`);
    }
  }
  const employees = Number((await app.store.query<{ n: number }>('SELECT count(*)::int AS n FROM employees')).rows[0].n);
  if (employees === 0) await loadDemoOrganisation(app, say);
}


/**
 * Fairness on out of the box: a store holding the demo organisation reports by its protected
 * attributes when the config names none, and says so. An organisation's own config always wins.
 */
async function demoFairness(app: Appraise, say: (m: string) => void): Promise<void> {
  const config = await withDemoFairness(app.config, app.store);
  if (config === app.config) return;
  Object.assign(app.config.fairness, config.fairness);
  say(`fairness reports compare outcomes by ${DEMO_PROTECTED_ATTRIBUTES.join(', ')} (the demo's protected attributes; name your own under fairness.protectedAttributes in appraise.config.yaml)`);
}
