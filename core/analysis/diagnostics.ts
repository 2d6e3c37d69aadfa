// The analysis as `validate` diagnostics: one stable code per kind of finding, located at the rule
// or condition, with the `explain` command that replays the witness. Findings are warnings;
// gap notes (where no rule applies) are information, at the policy's rules.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { compilePolicy } from '../evaluate/compile.ts';
import type { Policy } from '../policy/types.ts';
import { locate, type YamlSource } from '../policy/yaml-source.ts';
import type { Registry } from '../registry/registry.ts';
import { analyzePolicy, type FindingKind } from './analyze.ts';
import type { GapRegion, GapReport } from './gaps.ts';
import { explainCommand } from './witness.ts';

const CODES: Record<FindingKind, ErrorCode> = {
  'never-applies': 'APPRAISE_ANALYSIS_NEVER_APPLIES',
  'always-true': 'APPRAISE_ANALYSIS_ALWAYS_TRUE',
  'wrong-direction': 'APPRAISE_ANALYSIS_WRONG_DIRECTION',
  'conflicting-outcomes': 'APPRAISE_ANALYSIS_CONFLICTING_OUTCOMES',
  'unreachable': 'APPRAISE_ANALYSIS_UNREACHABLE',
};

/** The most regions `gaps: 'each'` lists one by one; the rest are counted. */
export const MAX_GAP_REGIONS_SHOWN = 20;

export interface AnalysisDiagnosticsOptions {
  /** Gap notes as one short line per policy (the default), or one line per region with its replay. */
  gaps?: 'summary' | 'each';
}

/** The analysis findings of a valid policy as warnings (never errors: the policy still runs), and its gaps as information. */
export function analysisDiagnostics(loaded: { file: string; source?: YamlSource; policy?: Policy }, registry: Registry, options: AnalysisDiagnosticsOptions = {}): Diagnostic[] {
  if (!loaded.policy || !loaded.source) return [];
  const { findings, gaps, undecided } = analyzePolicy(compilePolicy(loaded.policy, registry), registry);
  const out: Diagnostic[] = findings.map((f) => ({
    code: CODES[f.kind],
    severity: 'warning' as const,
    message: f.witness ? `${f.message} Replay: ${explainCommand(loaded.file, f.witness)}` : f.message,
    file: loaded.file,
    ...locate(loaded.source!, f.path),
  }));
  // What the analysis could not check is said at the rule, so silence is never read as a proof.
  const ruleIndex = new Map(loaded.policy.spec.rules.map((r, i) => [r.id, i]));
  for (const u of undecided) {
    if (u.ruleId === undefined || !ruleIndex.has(u.ruleId)) continue;
    out.push({
      code: 'APPRAISE_ANALYSIS_NOT_CHECKED', severity: 'info', file: loaded.file,
      message: `The analysis could not check the rule \`${u.ruleId}\` (${u.reason}), so it says nothing about whether it can apply or is caught by another rule. \`npx appraise test\` with cases for it is the way to check it.`,
      ...locate(loaded.source, ['spec', 'rules', ruleIndex.get(u.ruleId)!, 'id']),
    });
  }
  const at = { code: 'APPRAISE_ANALYSIS_GAP' as const, severity: 'info' as const, file: loaded.file, ...locate(loaded.source, ['spec', 'rules'], 'key') };
  for (const message of gapNotes(gaps, loaded.file, options.gaps ?? 'summary')) out.push({ ...at, message });
  return out;
}

const SCOPE = 'counting only people with a value for every fact';

function when(r: GapRegion): string {
  if (r.where.length === 0) return 'for any values';
  return `when ${r.where.length === 1 ? r.where[0] : `${r.where.slice(0, -1).join(', ')} and ${r.where[r.where.length - 1]}`}`;
}

/** The gap notes in words: none when some rule applies everywhere, and a note when that could not be worked out. */
export function gapNotes(gaps: GapReport, file: string, form: 'summary' | 'each'): string[] {
  const { regions, undecided } = gaps;
  const open = undecided ? ` Not everything could be worked out (${undecided}), so there may be more.` : '';
  if (regions.length === 0) return undecided ? [`Where no rule applies could not be worked out: ${undecided}.`] : [];
  if (form === 'summary') {
    const where = regions.length === 1 ? when(regions[0]) : `in ${regions.length} regions of values, e.g. ${when(regions[0])}`;
    return [`No rule applies ${where} (${SCOPE}). \`npx appraise validate --gaps\` lists ${regions.length === 1 ? 'it' : 'them'} with values that \`explain\` replays.${open}`];
  }
  const notes = regions.slice(0, MAX_GAP_REGIONS_SHOWN).map((r, i) => {
    const replay = r.witness ? ` Replay: ${explainCommand(file, r.witness)}` : '';
    return `No rule applies ${when(r)} (region ${i + 1} of ${regions.length}; ${SCOPE}).${replay}`;
  });
  const rest = regions.length - notes.length;
  if (rest > 0) notes.push(`… and ${rest} more region${rest === 1 ? '' : 's'} where no rule applies.`);
  if (open) notes.push(open.trim());
  return notes;
}
