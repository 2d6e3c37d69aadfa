// Fact values as the decide phase sees them: a value with its provenance (window, samples), or
// an explicit state saying why there is none. Missing data is a state, never a number.
import { BUILTIN_FACTS } from '../policy/builtin-facts.ts';
import type { MetricUnit } from '../registry/registry.ts';

export type FactStatus = 'ok' | 'insufficient' | 'error' | 'missing';

export interface ResolvedFact {
  status: FactStatus;
  value?: unknown;
  /** Records in the window that the value was computed from. */
  samples?: number;
  minSamples?: number;
  /** The half-open window [from, to) the value covers, ISO instants. */
  window?: { from: string; to: string };
  metric?: string;
  unit?: MetricUnit;
  /** Why there is no value (plugin error message, "3 of 20 samples"). */
  message?: string;
  /** Records the metric left out, in words ("3 tickets ignored: first response before opening"). */
  notes?: string[];
}

/** What evaluation reads facts from: a Map, or the fast path's overlay of facts on the employee. */
export interface FactTable {
  get(key: string): ResolvedFact | undefined;
}

/** The key of a fact with params: `history.coaching.completed` or `history.coaching.completed?{"window":"180d"}`. */
export function factKey(fact: string, params?: Record<string, unknown>): string {
  if (!params || Object.keys(params).length === 0) return fact;
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  return `${fact}?${JSON.stringify(sorted)}`;
}

export const MISSING: ResolvedFact = Object.freeze({ status: 'missing' });

/** The fact keys of a population's rows, in one order that all the rows share. */
export class FactLayout {
  readonly index = new Map<string, number>();
  constructor(readonly keys: readonly string[]) {
    keys.forEach((k, i) => this.index.set(k, i));
  }
}

/**
 * One employee's facts: a Map whose keys of the layout are also kept by position, as a status
 * and a value (undefined unless ok), so that the fast path reads them without hashing a key or
 * reading facts of many shapes (it maps its own slots onto the layout once).
 */
export class FactRow extends Map<string, ResolvedFact> {
  /** By layout position: the fact's status, undefined while the row has no such fact. */
  readonly slotStatuses: Array<FactStatus | undefined>;
  readonly slotValues: unknown[];
  constructor(readonly layout: FactLayout) {
    super();
    this.slotStatuses = new Array(layout.keys.length).fill(undefined);
    this.slotValues = new Array(layout.keys.length).fill(undefined);
  }

  override set(key: string, value: ResolvedFact): this {
    super.set(key, value);
    // undefined while Map's constructor runs: it calls set() before the fields exist.
    const i = this.layout?.index.get(key);
    if (i !== undefined) {
      this.slotStatuses[i] = value.status;
      this.slotValues[i] = value.status === 'ok' ? value.value : undefined;
    }
    return this;
  }

  override delete(key: string): boolean {
    const i = this.layout.index.get(key);
    if (i !== undefined) this.slotStatuses[i] = this.slotValues[i] = undefined;
    return super.delete(key);
  }

  override clear(): void {
    this.slotStatuses.fill(undefined);
    this.slotValues.fill(undefined);
    super.clear();
  }
}

/** The employee fields that `employee.*` facts read. */
export interface EmployeeFacts {
  id?: string;
  tenureDays?: number;
  role?: string;
  team?: string;
  department?: string;
  location?: string;
  managerId?: string;
  attributes?: Record<string, unknown>;
}

const EMPLOYEE_FACTS = Object.keys(BUILTIN_FACTS).filter((n) => n.startsWith('employee.'));
/** The `employee.*` fact keys, read from the employee's own fields. */
export const EMPLOYEE_FACT_KEYS: ReadonlySet<string> = new Set(EMPLOYEE_FACTS);

function employeeFact(employee: EmployeeFacts | undefined, name: string): ResolvedFact {
  const value = employee?.[name.slice('employee.'.length) as keyof EmployeeFacts];
  return value === undefined || value === null ? MISSING : { status: 'ok', value };
}

export function employeeFacts(employee: EmployeeFacts | undefined): Map<string, ResolvedFact> {
  return new Map(EMPLOYEE_FACTS.map((name) => [name, employeeFact(employee, name)]));
}

/**
 * The same table as `buildFactTable` without copying: the computed facts, and the employee's
 * own fields for `employee.*` keys they do not hold (the fast path reads few keys per employee).
 */
export function overlayFactTable(employee: EmployeeFacts | undefined, facts: ReadonlyMap<string, ResolvedFact>): FactTable {
  return {
    get(key: string): ResolvedFact | undefined {
      const f = facts.get(key);
      if (f !== undefined) return f;
      return EMPLOYEE_FACT_KEYS.has(key) ? employeeFact(employee, key) : undefined;
    },
  };
}

/** A plain value given by hand (policy tests, `explain --facts`) as a resolved fact. */
export function givenFact(value: unknown): ResolvedFact {
  if (value === undefined || value === null) return MISSING;
  if (typeof value === 'number' && Number.isNaN(value)) return { status: 'error', message: 'the value is NaN' };
  return { status: 'ok', value };
}
