// Vitest global setup: provisions what the tests need, once per run, so that `npm test` (and
// `npx vitest run --config test/vitest.config.ts <subset>`) works on a fresh machine:
// - PostgreSQL for the store tests (test/setup/postgres.ts), handed to the workers with
//   `project.provide` (read by test/store/backends.ts with `inject`) and APPRAISE_TEST_DATABASE_URL;
// - Debian's Chromium, when the run includes browser tests (test/setup/chromium.ts);
// - the migrated store template (core/store/template.ts), when a migration changed since install.
// What it cannot provide ends the run with one line saying what to install or set.
import type { TestProject } from 'vitest/node';
import { ensureChromium } from './chromium.ts';
import { provisionPostgres, type Cluster } from './postgres.ts';
import { ProvisionError } from './provision.ts';
import { buildStoreTemplate } from '../../core/store/template.ts';

const BROWSER_TEST = /\.browser\.test\.[cm]?[jt]sx?$/;

/** Whether this run includes a browser test (the paths vitest is about to run; when it cannot say, assume it does). */
function runsBrowserTests(project: TestProject): boolean {
  try {
    const files = project.vitest.state.getPaths();
    return files.length === 0 || files.some((f) => BROWSER_TEST.test(f));
  } catch {
    return true;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let cluster: Cluster | undefined;
  try {
    if (runsBrowserTests(project)) process.env.CHROMIUM_PATH = ensureChromium();
    await buildStoreTemplate();
    const pg = await provisionPostgres();
    cluster = pg.cluster;
    process.env.APPRAISE_TEST_DATABASE_URL = pg.url;
    project.provide('appraiseTestDatabaseUrl', pg.url);
  } catch (e) {
    if (!(e instanceof ProvisionError)) throw e;
    await cluster?.stop();
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  return async () => {
    await cluster?.stop();
  };
}
