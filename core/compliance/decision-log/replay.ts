// Replaying a decision log: each logged decision evaluated again from its logged facts and the
// policy text alone — the stored text of its version (its content hash checked against the
// log's) or, for an unpublished draft, the document the log carries — with the reference
// evaluator (json-rules-engine), not the fast path the run used. The same rules must fire, be
// undecided or be shadowed, with the same explanation.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isDeepStrictEqual } from 'node:util';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { evaluate } from '../../evaluate/evaluate.ts';
import type { CompiledPolicy } from '../../evaluate/compile.ts';
import type { PluginHost } from '../../plugins/host.ts';
import type { Registry } from '../../registry/registry.ts';
import { loadPolicyText } from '../../policy/load.ts';
import { compileWithPlugins } from '../../run/sources.ts';
import type { Store } from '../../store/store.ts';
import type { DecisionLine, LogLine, PolicyLine } from './entry.ts';

export interface ReplayResult {
  id: string;
  employeeId: string;
  policy: DecisionLine['policy'];
  /** The same rules with the same statuses, and so the same outcomes. */
  sameResult: boolean;
  sameExplanation: boolean;
  logged: DecisionLine['result'];
  replayed?: DecisionLine['result'];
  /** Why it could not be replayed (the version's text is gone or changed). */
  problem?: string;
}

/** Every line of the NDJSON files, in order; a line that is not JSON names its file and line. */
export async function readDecisionLog(files: readonly string[]): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for (const file of files) {
    let n = 0;
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    try {
      for await (const text of lines) {
        n++;
        if (!text.trim()) continue;
        try {
          out.push(JSON.parse(text) as LogLine);
        } catch {
          throw new AppraiseError('APPRAISE_DECISION_LOG_INVALID', `${file}:${n}: the line is not JSON; a decision log holds one JSON object per line. Was the file cut or edited?`, { file, line: n });
        }
      }
    } catch (e) {
      if (e instanceof AppraiseError) throw e;
      throw new AppraiseError('APPRAISE_DECISION_LOG_INVALID', `${file} could not be read: ${(e as Error).message}.`, { file });
    }
  }
  return out;
}

const policyKey = (p: { id: string; version: number; contentHash?: string }) => `${p.id}@${p.version}#${p.contentHash ?? ''}`;

export async function replayDecisions(
  lines: readonly LogLine[],
  deps: { store: Store; registry: Registry; host?: PluginHost },
  only?: ReadonlySet<string>,
): Promise<ReplayResult[]> {
  const drafts = new Map<string, PolicyLine>();
  for (const l of lines) if (l.type === 'policy' && l.document) drafts.set(policyKey(l.policy), l);
  const compiled = new Map<string, CompiledPolicy | string>();
  const policyOf = async (p: DecisionLine['policy']): Promise<CompiledPolicy | string> => {
    const key = policyKey(p);
    if (!compiled.has(key)) compiled.set(key, await loadForReplay(p, drafts.get(key), deps));
    return compiled.get(key)!;
  };
  const out: ReplayResult[] = [];
  for (const l of lines) {
    if (l.type !== 'decision' || (only && !only.has(l.id))) continue;
    const policy = await policyOf(l.policy);
    const base = { id: l.id, employeeId: l.employeeId, policy: l.policy, logged: l.result };
    if (typeof policy === 'string') {
      out.push({ ...base, sameResult: false, sameExplanation: false, problem: policy });
      continue;
    }
    const r = await evaluate(policy, undefined, l.facts);
    const rules = r.rules.filter((x) => x.status !== 'not-fired');
    const replayed = {
      outcomes: [...new Set(rules.filter((x) => x.status === 'fired' && x.counted).map((x) => x.outcome))].sort(),
      rules: rules.map((x) => ({ ruleId: x.ruleId, outcome: x.outcome, status: x.status })),
    };
    out.push({
      ...base,
      replayed,
      sameResult: isDeepStrictEqual(replayed, l.result),
      // Through JSON, as the log holds it (no undefined members, no class instances).
      sameExplanation: isDeepStrictEqual(JSON.parse(JSON.stringify(rules)), l.explanation),
    });
  }
  return out;
}

async function loadForReplay(p: DecisionLine['policy'], draft: PolicyLine | undefined, deps: { store: Store; registry: Registry; host?: PluginHost }): Promise<CompiledPolicy | string> {
  if (draft?.document) return compileWithPlugins(draft.document, deps.registry, deps.host);
  const row = (await deps.store.query<{ yaml: string; content_hash: string }>('SELECT yaml, content_hash FROM policy_versions WHERE policy_id = $1 AND version = $2', [p.id, p.version])).rows[0];
  if (!row) return `version ${p.version} of ${p.id} is not in this store`;
  if (p.contentHash && row.content_hash !== p.contentHash) return `the stored text of ${p.id} version ${p.version} is not the text the decision was made with (content hash ${row.content_hash.slice(0, 12)}…, logged ${p.contentHash.slice(0, 12)}…)`;
  const loaded = loadPolicyText(`${p.id}@v${p.version}`, row.yaml, deps.registry);
  if (!loaded.policy) return `${p.id} version ${p.version} no longer loads: ${loaded.diagnostics.map((d) => d.message).join('; ')}`;
  return compileWithPlugins(loaded.policy, deps.registry, deps.host);
}
