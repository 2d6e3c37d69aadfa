// A fact's name as people read it: "has an active improvement plan" instead of
// `history.pip.isActive`, "days with the company" instead of `employee.tenureDays`. Shared by the
// admin UI's conditions (ui/lib/condition-words.ts) and the worker notice
// (core/compliance/notices), so a condition reads alike everywhere. Pure and dependency-free
// but for duration words: the UI bundles it.
import { durationWords } from '../policy/duration.ts';

const EMPLOYEE_FACTS: Record<string, string> = {
  'employee.id': 'employee id',
  'employee.tenureDays': 'days with the company',
  'employee.role': 'role',
  'employee.team': 'team',
  'employee.department': 'department',
  'employee.location': 'location',
  'employee.managerId': 'manager',
  'employee.attributes': 'attributes',
};

const CASE_NOUN: Record<string, string> = { recognition: 'recognition', coaching: 'coaching', pip: 'improvement plan' };
/** core/policy/builtin-facts.ts DEFAULT_HISTORY_WINDOW (not imported: that module is not bundled into the UI). */
export const HISTORY_WINDOW = '365d';

/** A fact's name in words, with its path and history window where it has them. */
export function factPhrase(fact: string, o: { path?: string; params?: Record<string, unknown> } = {}): string {
  if (fact === 'history.pip.isActive') return 'has an active improvement plan';
  const history = /^history\.(recognition|coaching|pip)\.(.+)$/.exec(fact);
  if (history) {
    const [, outcome, status] = history;
    const window = typeof o.params?.window === 'string' ? o.params.window : HISTORY_WINDOW;
    const opened = `${CASE_NOUN[outcome]} cases opened in the last ${durationWords(window)}`;
    return status === 'total' ? opened : `${opened} that are now ${status}`;
  }
  if (fact === 'employee.attributes' && o.path) return `attribute ${o.path.replace(/^\$\.?/, '')}`;
  // `csatLastQuarter` → `csat last quarter`; a one-word name stays as the policy wrote it.
  const spaced = fact.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  const base = EMPLOYEE_FACTS[fact] ?? (spaced === fact ? fact : spaced.toLowerCase());
  return o.path ? `${base} ${o.path.replace(/^\$\.?/, '')}` : base;
}
