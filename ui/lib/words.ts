// The engine's words as the admin UI says them. Core keeps its own vocabulary in code, logs and
// the CLI (a rule "fired" or was "shadowed", a plugin is "inactive"); HR admins, managers and
// employees read these words instead, the same on every screen. Each says what the engine
// state means (core/evaluate/evaluate.ts, core/plugins/discovery.ts), not a softer synonym.
import type { ConditionResult, RuleExplanation } from '../api/types.ts';

export type Tone = 'ok' | 'neutral' | 'warning' | 'error';

/** A rule's status in a decision: what its badge says. */
export const RULE_STATUS: Record<RuleExplanation['status'], { label: string; tone: Tone }> = {
  // the conditions hold and the rule counts
  fired: { label: 'met', tone: 'ok' },
  'not-fired': { label: 'not met', tone: 'neutral' },
  // missing data or a plugin error leaves the result open: nothing is done
  indeterminate: { label: 'could not be decided', tone: 'warning' },
  // it holds, but under hitPolicy first a higher-priority rule counts instead
  shadowed: { label: 'met, but a higher rule applied', tone: 'neutral' },
  // it holds, but under hitPolicy first a higher-priority rule could not be decided
  blocked: { label: 'met, but held back by another rule', tone: 'warning' },
};

/** A condition's result. */
export const CONDITION_RESULT: Record<ConditionResult, string> = { pass: 'met', fail: 'not met', unknown: 'could not be decided' };

/** The rule id an engine reason names in backticks (`the higher-priority rule \`pip\` counts instead`). */
function namedRule(reason: string): string | undefined {
  return /`([^`]+)`/.exec(reason)?.[1];
}

/** Why a rule has its status, in one sentence (the engine's reason is written for the CLI). */
export function ruleStatusSentence(r: Pick<RuleExplanation, 'status' | 'reason'>): string {
  const other = namedRule(r.reason ?? '');
  const higher = other ? `the higher rule “${other}”` : 'a higher rule';
  switch (r.status) {
    case 'fired': {
      // A higher rule that could not be decided does not hold this one back; it may follow later.
      const pending = [...(r.reason ?? '').matchAll(/`([^`]+)`/g)].map((m) => `“${m[1]}”`);
      if (/could not be decided, and may apply instead/.test(r.reason ?? '') && pending.length) {
        return `Its conditions were met, so it applies. ${pending.length === 1 ? `The higher rule ${pending[0]} could not be decided for lack of data; it` : `The higher rules ${pending.join(', ')} could not be decided for lack of data; they`} may apply instead once the data arrives.`;
      }
      return 'Its conditions were met, so it applies.';
    }
    case 'not-fired':
      return 'Its conditions were not met.';
    case 'indeterminate':
      return /plugin error/.test(r.reason ?? '')
        ? 'It could not be decided: a plugin failed while computing one of its numbers. Nothing follows from it.'
        : 'It could not be decided: there was not enough data for one of its conditions. Nothing follows from it.';
    case 'shadowed':
      return `Its conditions were met, but ${higher} applied instead (this policy applies only the first rule met).`;
    case 'blocked':
      return `Its conditions were met, but it is held back: ${higher} could not be decided, and this policy applies only the first rule met.`;
    default:
      return r.reason ?? '';
  }
}

/** A plugin's state (discovery.ts: inactive | active | failed | disabled) and what it means. */
export function pluginState(state: string, hasCode: boolean): { label: string; tone: Tone; hint: string } {
  switch (state) {
    case 'active':
      return { label: 'active', tone: 'ok', hint: 'Its code is loaded and in use.' };
    case 'inactive':
      return hasCode
        ? { label: 'ready', tone: 'ok', hint: 'Its code loads the first time one of its metrics, operators or workflows is needed.' }
        : { label: 'ready', tone: 'ok', hint: 'It has no code to load: what it contributes is ready to use.' };
    case 'failed':
      return { label: 'failed', tone: 'error', hint: 'Its code could not start, so what it contributes cannot be computed until the problem below is fixed.' };
    case 'disabled':
      return { label: 'not in use', tone: 'error', hint: 'It was turned off because of the problem below; nothing it contributes is available.' };
    default:
      return { label: state, tone: 'warning', hint: '' };
  }
}

/** `customer-champion` → `Customer champion`, `fastStart` → `Fast start`: an id read aloud. */
export function humanizeId(id: string): string {
  const words = id
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[-_.:\s]+/)
    .filter(Boolean)
    .map((w) => (/^[A-Z][a-z]/.test(w) ? w.toLowerCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The title a policy declares for an id (spec.labels), else the id read aloud. */
export function labelFor(id: string, labels?: Readonly<Record<string, string>> | null): string {
  return labels && Object.hasOwn(labels, id) ? labels[id] : humanizeId(id);
}

/** A case's params as label/value pairs for people: ids through the policy's labels. */
export function paramsInWords(params: Record<string, unknown> | null | undefined, labels?: Readonly<Record<string, string>> | null): Array<[string, string]> {
  return Object.entries(params ?? {}).map(([k, v]) => [
    humanizeId(k),
    typeof v === 'string' ? labelFor(v, labels) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? labelFor(x, labels) : String(x))).join(', ') : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v),
  ]);
}

// A duration literal in words (`365d` → `365 days`): core's own, so the worker notice says it alike.
export { durationWords } from '../../core/policy/duration.ts';

/** A server message as people read it: names without the code-style backticks of the CLI. */
export function plainMessage(message: string): string {
  return message.replace(/`/g, '');
}
