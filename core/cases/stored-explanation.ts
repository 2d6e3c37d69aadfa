// A case's explanation as readers get it. Cases the engine opens store the rule's explanation
// (a RuleExplanation). Cases that came from elsewhere store what they had: the demo's historical
// cases carry a note, an import of past cases may carry a note or nothing, and a row written by
// hand may hold anything. Readers (the API, the UI, the CLI) get either an explanation they can
// walk condition by condition, or the note in words; never a shape they must guess.
import type { ConditionExplanation, RuleExplanation } from '../evaluate/evaluate.ts';

export interface ReadExplanation {
  /** The rule's explanation, when the stored one is complete; otherwise null. */
  explanation: RuleExplanation | null;
  /** What was recorded instead (a historical case's note), when there is no rule explanation. */
  explanationNote: string | null;
}

const RESULTS = new Set(['pass', 'fail', 'unknown']);
const STATUSES = new Set(['fired', 'not-fired', 'indeterminate', 'shadowed', 'blocked']);
const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function isCondition(c: unknown, depth = 0): c is ConditionExplanation {
  if (!isObject(c) || !RESULTS.has(c.result as string) || depth > 64) return false;
  if (c.kind === 'fact') return typeof c.operator === 'string' && isObject(c.left) && typeof c.left.fact === 'string';
  if (c.kind === 'all' || c.kind === 'any' || c.kind === 'not') return Array.isArray(c.children) && c.children.every((x) => isCondition(x, depth + 1));
  return false;
}

export function isRuleExplanation(x: unknown): x is RuleExplanation {
  return isObject(x) && typeof x.ruleId === 'string' && typeof x.outcome === 'string' && STATUSES.has(x.status as string) && isCondition(x.conditions);
}

export function readExplanation(stored: unknown): ReadExplanation {
  if (isRuleExplanation(stored)) return { explanation: stored, explanationNote: null };
  const note = isObject(stored) && typeof stored.note === 'string' && stored.note.trim() ? stored.note.trim() : null;
  return { explanation: null, explanationNote: note };
}
