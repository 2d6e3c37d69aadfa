// A witness: fact values found by the analysis, printed as the `--facts` and `--employee` JSON
// that `npx appraise explain` takes, so that a reader can replay the finding.
import type { CellValue } from './cells.ts';
import type { Assignment } from './enumerate.ts';

export interface Witness {
  /** Values by fact name, as `explain --facts` takes them; a fact left out is missing data. */
  facts: Record<string, string | number | boolean>;
  /** Employee fields, as `explain --employee` takes them. */
  employee: Record<string, string | number | boolean>;
}

const EMPLOYEE = 'employee.';

/**
 * The witness of an assignment over fact keys (`keyFact` gives each key's fact name), or
 * undefined when two keys of one fact (the fact with different params) hold different values:
 * `explain` gives one value per fact name, so such an assignment could not be replayed.
 */
export function witnessOf(a: Assignment, keyFact: ReadonlyMap<string, string>): Witness | undefined {
  const byFact = new Map<string, CellValue>();
  for (const [key, value] of a) {
    const fact = keyFact.get(key) ?? key;
    if (byFact.has(fact) && byFact.get(fact) !== value) return undefined;
    byFact.set(fact, value);
  }
  const w: Witness = { facts: {}, employee: {} };
  for (const [fact, value] of [...byFact].sort(([x], [y]) => x.localeCompare(y))) {
    if (value === undefined) continue;
    if (fact.startsWith(EMPLOYEE)) w.employee[fact.slice(EMPLOYEE.length)] = value;
    else w.facts[fact] = value;
  }
  return w;
}

/** `npx appraise explain <file> --facts '…' [--employee '…']`. */
export function explainCommand(file: string, w: Witness): string {
  const employee = Object.keys(w.employee).length ? ` --employee '${JSON.stringify(w.employee)}'` : '';
  return `npx appraise explain ${file} --facts '${JSON.stringify(w.facts)}'${employee}`;
}

/** `csat 2, fcr missing` for a message. */
export function describeWitness(w: Witness, keys: Iterable<string>): string {
  const parts: string[] = [];
  for (const fact of new Set(keys)) {
    const short = fact.startsWith(EMPLOYEE) ? fact.slice(EMPLOYEE.length) : fact;
    const v = fact.startsWith(EMPLOYEE) ? w.employee[short] : w.facts[fact];
    parts.push(`${fact} ${v === undefined ? 'missing' : JSON.stringify(v)}`);
  }
  return parts.join(', ');
}
