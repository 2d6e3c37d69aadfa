// A set of policy files and their test files loaded together, as `validate`, `test` and
// `policies publish` see them: every file checked, policy ids unique across files, and each
// test file matched with its policy.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Registry } from '../registry/registry.ts';
import { discoverPolicyFiles } from './discover.ts';
import { checkTestFile, loadPolicyFile, loadTestsText, readTextFile, type LoadedPolicy, type LoadedTests } from './load.ts';
import { locate } from './yaml-source.ts';
import type { Policy } from './types.ts';

export interface Workspace {
  policies: LoadedPolicy[];
  testFiles: LoadedTests[];
  /** Valid policies by id. */
  byId: Map<string, LoadedPolicy & { policy: Policy }>;
  diagnostics: Diagnostic[];
  /** Paths given that do not exist. */
  missing: string[];
  fileCount: number;
}

export async function loadWorkspace(paths: string[], registry: Registry): Promise<Workspace> {
  const found = await discoverPolicyFiles(paths);
  const policies = await Promise.all(found.policies.map((f) => loadPolicyFile(f, registry)));
  const diagnostics: Diagnostic[] = policies.flatMap((p) => p.diagnostics);
  const byId = new Map<string, LoadedPolicy & { policy: Policy }>();
  for (const p of policies) {
    if (!p.policy) continue;
    const id = p.policy.metadata.id;
    const other = byId.get(id);
    if (other) {
      diagnostics.push({ code: 'APPRAISE_POLICY_DUPLICATE_ID', severity: 'error', message: `The policy id \`${id}\` is already used by ${other.file}. Policy ids must be unique.`, file: p.file, ...locate(p.source!, ['metadata', 'id']) });
      continue;
    }
    byId.set(id, p as LoadedPolicy & { policy: Policy });
  }
  const testFiles: LoadedTests[] = [];
  for (const f of found.tests) {
    const { text, diagnostic } = await readTextFile(f);
    if (diagnostic) {
      diagnostics.push(diagnostic);
      continue;
    }
    const loaded = loadTestsText(f, text!);
    const policyMap = new Map([...byId].map(([id, p]) => [id, p.policy]));
    loaded.diagnostics.push(...checkTestFile(loaded, policyMap, registry));
    diagnostics.push(...loaded.diagnostics);
    testFiles.push(loaded);
  }
  return { policies, testFiles, byId, diagnostics, missing: found.missing, fileCount: found.policies.length + found.tests.length };
}
