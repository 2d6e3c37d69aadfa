// Finds policy files (`*.policy.yaml`) and their test files (`*.test.yaml`) under the paths a
// command was given. A file named explicitly is taken whatever its name.
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export interface Discovered {
  policies: string[];
  tests: string[];
  missing: string[];
}

const POLICY = /\.policy\.ya?ml$/;
const TESTS = /\.test\.ya?ml$/;

export async function discoverPolicyFiles(paths: string[]): Promise<Discovered> {
  const out: Discovered = { policies: [], tests: [], missing: [] };
  const visit = async (p: string, explicit: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(p);
    } catch {
      out.missing.push(p);
      return;
    }
    if (info.isDirectory()) {
      const entries = (await readdir(p, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      for (const e of entries) {
        if (e.name.startsWith('.') || e.name === 'node_modules') continue;
        await visit(join(p, e.name), false);
      }
    } else if (TESTS.test(p)) out.tests.push(p);
    else if (POLICY.test(p) || (explicit && /\.ya?ml$/.test(p))) out.policies.push(p);
  };
  for (const p of paths) await visit(p, true);
  const uniq = (xs: string[]) => [...new Map(xs.map((x) => [resolve(x), x])).values()];
  return { policies: uniq(out.policies), tests: uniq(out.tests), missing: out.missing };
}
