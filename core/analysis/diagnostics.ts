// The analysis as `validate` warnings: one stable code per kind of finding, located at the rule
// or condition, with the `explain` command that replays the witness.
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { compilePolicy } from '../evaluate/compile.ts';
import type { Policy } from '../policy/types.ts';
import { locate, type YamlSource } from '../policy/yaml-source.ts';
import type { Registry } from '../registry/registry.ts';
import { analyzePolicy, type FindingKind } from './analyze.ts';
import { explainCommand } from './witness.ts';

const CODES: Record<FindingKind, ErrorCode> = {
  'never-applies': 'APPRAISE_ANALYSIS_NEVER_APPLIES',
  'always-true': 'APPRAISE_ANALYSIS_ALWAYS_TRUE',
  'wrong-direction': 'APPRAISE_ANALYSIS_WRONG_DIRECTION',
  'conflicting-outcomes': 'APPRAISE_ANALYSIS_CONFLICTING_OUTCOMES',
  'unreachable': 'APPRAISE_ANALYSIS_UNREACHABLE',
};

/** The analysis findings of a valid policy as warnings (never errors: the policy still runs). */
export function analysisDiagnostics(loaded: { file: string; source?: YamlSource; policy?: Policy }, registry: Registry): Diagnostic[] {
  if (!loaded.policy || !loaded.source) return [];
  const { findings } = analyzePolicy(compilePolicy(loaded.policy, registry), registry);
  return findings.map((f) => ({
    code: CODES[f.kind],
    severity: 'warning' as const,
    message: f.witness ? `${f.message} Replay: ${explainCommand(loaded.file, f.witness)}` : f.message,
    file: loaded.file,
    ...locate(loaded.source!, f.path),
  }));
}
