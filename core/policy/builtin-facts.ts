// Facts every policy can use without declaring them: the employee's own fields and the
// history of their cases. The pipeline computes them; policy tests give them by hand.
import type { MetricUnit, ValueType } from '../registry/registry.ts';
import { statusesOf, type CaseType } from '../cases/lifecycle.ts';

export interface FactType {
  type: ValueType;
  unit?: MetricUnit;
  range?: [number | null, number | null];
  description: string;
  /** Whether a condition may pass `params` to it (history windows). */
  acceptsParams?: boolean;
}

export type Outcome = CaseType;
export const OUTCOMES: Outcome[] = ['recognition', 'coaching', 'pip'];
/**
 * Statuses whose cases count in no `history.*` fact: an overturned case was found wrong on a
 * dispute, so it must not feed a PIP later (core/run/history.ts leaves them out).
 */
export const NOT_IN_HISTORY = ['overturned'];
/** Every status of every case type that history facts count, from the lifecycles. */
export const CASE_STATUSES: Record<Outcome, string[]> = Object.fromEntries(OUTCOMES.map((t) => [t, statusesOf(t).filter((s) => !NOT_IN_HISTORY.includes(s))])) as Record<Outcome, string[]>;

/** The default window of a `history.*` count when a condition gives no `params.window`. */
export const DEFAULT_HISTORY_WINDOW = '365d';

const EMPLOYEE_FACTS: Record<string, FactType> = {
  'employee.id': { type: 'string', description: "The employee's id." },
  'employee.tenureDays': { type: 'number', unit: 'count', range: [0, null], description: 'Whole days from the hire date to the as-of date.' },
  'employee.role': { type: 'string', description: "The employee's role." },
  'employee.team': { type: 'string', description: "The employee's team." },
  'employee.department': { type: 'string', description: "The employee's department." },
  'employee.location': { type: 'string', description: "The employee's location." },
  'employee.managerId': { type: 'string', description: "The id of the employee's manager." },
  'employee.attributes': { type: 'object', description: "The employee's free attributes; read one with `path: $.name`." },
};

function historyFacts(): Record<string, FactType> {
  const out: Record<string, FactType> = {};
  for (const [outcome, statuses] of Object.entries(CASE_STATUSES)) {
    out[`history.${outcome}.total`] = {
      type: 'number', unit: 'count', range: [0, null], acceptsParams: true,
      description: `${outcome} cases opened for the employee within params.window (default ${DEFAULT_HISTORY_WINDOW}), any status but overturned.`,
    };
    for (const status of statuses) {
      out[`history.${outcome}.${status}`] = {
        type: 'number', unit: 'count', range: [0, null], acceptsParams: true,
        description: `${outcome} cases opened within params.window (default ${DEFAULT_HISTORY_WINDOW}) that are now ${status}.`,
      };
    }
  }
  out['history.pip.isActive'] = { type: 'boolean', description: 'Whether the employee has an active PIP now.' };
  return out;
}

export const BUILTIN_FACTS: Readonly<Record<string, FactType>> = { ...EMPLOYEE_FACTS, ...historyFacts() };

export function isBuiltinFact(name: string): boolean {
  return Object.hasOwn(BUILTIN_FACTS, name);
}
