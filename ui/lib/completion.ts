// What to complete where the admin types in a policy: metric ids after `metric:`, fact names
// after `fact:` (the policy's declared facts and the built-in ones), operator ids after
// `operator:`, workflow ids in a `workflows:` list. Plain line-based reading, because it runs
// on every keystroke in text that is often not valid YAML yet.

export type CompletionKind = 'metric' | 'fact' | 'operator' | 'workflow';

export interface CompletionSite {
  kind: CompletionKind;
  /** Offset in the line where the word being typed starts. */
  from: number;
  prefix: string;
}

const KEYED: Array<[CompletionKind, RegExp]> = [
  ['metric', /(?:^|[\s{,[])metric:\s*["']?([\w.-]*)$/],
  ['fact', /(?:^|[\s{,[])fact:\s*["']?([\w.-]*)$/],
  ['operator', /(?:^|[\s{,[])operator:\s*["']?([\w:.-]*)$/],
  ['workflow', /(?:^|[\s{,])workflows:\s*\[(?:[^\]]*,)?\s*["']?([\w.-]*)$/],
];

/**
 * The completion site at the end of `before` (the line up to the cursor), given the lines above
 * it (nearest last) for block lists such as
 * ```
 * workflows:
 *   - webhook.po|
 * ```
 */
export function completionSite(before: string, linesAbove: readonly string[] = []): CompletionSite | null {
  for (const [kind, re] of KEYED) {
    const m = re.exec(before);
    if (m) return { kind, from: before.length - m[1].length, prefix: m[1] };
  }
  const item = /^(\s*)-\s+["']?([\w.-]*)$/.exec(before);
  if (item) {
    const indent = item[1].length;
    for (let i = linesAbove.length - 1; i >= 0; i--) {
      const line = linesAbove[i];
      if (!line.trim() || line.trim().startsWith('#')) continue;
      const lineIndent = line.length - line.trimStart().length;
      if (lineIndent < indent || (lineIndent === indent && !line.trimStart().startsWith('-'))) {
        return /^\s*(?:-\s+)?workflows:\s*$/.test(line) ? { kind: 'workflow', from: before.length - item[2].length, prefix: item[2] } : null;
      }
    }
  }
  return null;
}

/** The fact names a policy declares under `spec.facts` (read from the text as typed). */
export function declaredFacts(text: string): string[] {
  const lines = text.split('\n');
  const out: string[] = [];
  let factsIndent = -1;
  let keyIndent = -1;
  for (const line of lines) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (factsIndent < 0) {
      if (/^\s+facts:\s*$/.test(line)) factsIndent = indent;
      continue;
    }
    if (indent <= factsIndent) break;
    if (keyIndent < 0) keyIndent = indent;
    if (indent === keyIndent) {
      const m = /^\s*["']?([\w.-]+)["']?\s*:/.exec(line);
      if (m) out.push(m[1]);
    }
  }
  return out;
}

/** Facts every policy can use without declaring them (core/policy/builtin-facts.ts). */
export const BUILTIN_FACTS: ReadonlyArray<{ id: string; info: string }> = [
  ...['id', 'tenureDays', 'role', 'team', 'department', 'location', 'managerId', 'attributes'].map((f) => ({ id: `employee.${f}`, info: `the employee's ${f}` })),
  ...(['recognition', 'coaching', 'pip'] as const).flatMap((o) => ['total', ...{ recognition: ['open', 'delivered', 'acknowledged'], coaching: ['open', 'scheduled', 'completed', 'cancelled', 'superseded'], pip: ['proposed', 'approved', 'rejected', 'acknowledged', 'active', 'paused', 'extended', 'succeeded', 'failed', 'cancelled'] }[o]].map((s) => ({ id: `history.${o}.${s}`, info: `${o} cases ${s === 'total' ? 'opened' : `now ${s}`} within params.window` }))),
  { id: 'history.pip.isActive', info: 'whether the employee has an active PIP' },
];

/** Operators json-rules-engine and Appraise give every policy. */
export const BUILTIN_OPERATORS = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain'];
