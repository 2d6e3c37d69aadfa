// Loading a policy: parse (positions kept) → schema → static checks against the registry.
// Every problem in a file is reported at once; the policy object is returned only when there
// is no error, so nothing downstream ever sees a half-valid policy.
import { readFile, stat } from 'node:fs/promises';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import type { Registry } from '../registry/registry.ts';
import { checkPolicy, checkTests } from './check.ts';
import { schemaValidator, validateAgainstSchema } from './schema-check.ts';
import type { Policy, PolicyTest } from './types.ts';
import { LIMITS, locate, parseYamlSource, type YamlSource } from './yaml-source.ts';

export interface LoadedPolicy {
  file: string;
  policy?: Policy;
  source?: YamlSource;
  diagnostics: Diagnostic[];
}

export function loadPolicyText(file: string, text: string, registry: Registry): LoadedPolicy {
  const { source, diagnostics } = parseYamlSource(file, text);
  if (!source || hasErrors(diagnostics)) return { file, source, diagnostics };
  const schemaDiagnostics = validateAgainstSchema(source, 'policy.schema.json', { metrics: [...registry.metrics.keys()], workflows: [...registry.workflows.keys()] });
  if (schemaDiagnostics.length) return { file, source, diagnostics: [...diagnostics, ...schemaDiagnostics] };
  const policy = source.value as Policy;
  const all = [...diagnostics, ...checkPolicy(source, policy, registry)];
  return { file, source, policy: hasErrors(all) ? undefined : policy, diagnostics: all };
}

export async function readTextFile(file: string, maxBytes = LIMITS.maxBytes): Promise<{ text?: string; diagnostic?: Diagnostic }> {
  try {
    const info = await stat(file);
    if (info.size > maxBytes) {
      return { diagnostic: { code: 'APPRAISE_FILE_TOO_LARGE', severity: 'error', message: `The file is ${info.size} bytes; the limit is ${maxBytes}. Split it into several files.`, file, line: 1, column: 1 } };
    }
    return { text: await readFile(file, 'utf8') };
  } catch (e) {
    return { diagnostic: { code: 'APPRAISE_FILE_UNREADABLE', severity: 'error', message: `Cannot read the file: ${(e as Error).message}.`, file, line: 0, column: 0 } };
  }
}

export async function loadPolicyFile(file: string, registry: Registry): Promise<LoadedPolicy> {
  const { text, diagnostic } = await readTextFile(file);
  if (diagnostic) return { file, diagnostics: [diagnostic] };
  return loadPolicyText(file, text!, registry);
}

export interface LoadedTests {
  file: string;
  policyId?: string;
  tests?: PolicyTest[];
  source?: YamlSource;
  diagnostics: Diagnostic[];
}

/** A `*.test.yaml` file: shape only; `checkTestFile` checks it against its policy. */
export function loadTestsText(file: string, text: string): LoadedTests {
  const { source, diagnostics } = parseYamlSource(file, text);
  if (!source || hasErrors(diagnostics)) return { file, source, diagnostics };
  schemaValidator('policy.schema.json'); // the tests schema refers into it
  const schemaDiagnostics = validateAgainstSchema(source, 'policy-tests.schema.json');
  if (schemaDiagnostics.length) return { file, source, diagnostics: [...diagnostics, ...schemaDiagnostics] };
  const value = source.value as { policy: string; tests: PolicyTest[] };
  return { file, source, policyId: value.policy, tests: value.tests, diagnostics };
}

export function checkTestFile(loaded: LoadedTests, policies: ReadonlyMap<string, Policy>, registry: Registry): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (!loaded.source || !loaded.policyId || !loaded.tests) return out;
  const source = loaded.source;
  const policy = policies.get(loaded.policyId);
  if (!policy) {
    out.push({ code: 'APPRAISE_POLICY_TEST_NO_POLICY', severity: 'error', message: `No valid policy with id \`${loaded.policyId}\` was loaded beside this file. Check the id or fix that policy first.`, file: loaded.file, ...locate(source, ['policy']) });
    return out;
  }
  checkTests(policy, loaded.tests, ['tests'], registry, (code, message, path, which = 'value', severity = 'error') =>
    out.push({ code, severity, message, file: loaded.file, ...locate(source, path, which) }));
  return out;
}
