// The in-process API of the demo generator: the organisation is built up front (people only),
// then each employee's records are drawn on demand and handed out one employee at a time, so
// a 10-million-record organisation never sits in memory.
import { DAY, HORIZON_DAYS, startOfDay } from './calendar.ts';
import { employeeActivity } from './activity.ts';
import { buildOrganisation, type Person } from './organisation.ts';
import type { DemoOptions, EmployeeBatch, ResolvedOptions } from './types.ts';

export const DEFAULT_SEED = 1;
export const DEFAULT_RECORDS_PER_EMPLOYEE = 100;
export const MAX_EMPLOYEES = 1_000_000;

/** Fills in the defaults and rejects what cannot be generated (the CLI turns this into usage errors). */
export function resolveOptions(options: DemoOptions, now: Date = new Date()): ResolvedOptions {
  const { employees } = options;
  if (!Number.isInteger(employees) || employees < 1 || employees > MAX_EMPLOYEES) throw new RangeError(`employees must be a whole number from 1 to ${MAX_EMPLOYEES}, not ${employees}`);
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be a whole number from 0 to 4294967295, not ${seed}`);
  const rpe = options.recordsPerEmployee ?? DEFAULT_RECORDS_PER_EMPLOYEE;
  if (!Number.isFinite(rpe) || rpe <= 0 || rpe > 10_000) throw new RangeError(`recordsPerEmployee must be above 0 and at most 10000, not ${rpe}`);
  const asOfMs = options.asOf ? options.asOf.getTime() : startOfDay(now.getTime());
  if (!Number.isFinite(asOfMs)) throw new RangeError('asOf is not a valid date');
  return { employees, seed, asOfMs, recordsPerEmployee: rpe };
}

/** The prefix of every external id: the seed is part of it, so two demos never share an id. */
export function externalIdPrefix(o: ResolvedOptions): string {
  return `demo-${o.seed}-`;
}

/** Everyone in the organisation, without records (fast: no activity is drawn). */
export function demoEmployees(options: DemoOptions): Person[] {
  return buildOrganisation(resolveOptions(options));
}

/** Synchronous generation, employee by employee (the file writer's loop; no promise per item). */
export function* generateOrganisationSync(options: DemoOptions | ResolvedOptions): Generator<EmployeeBatch> {
  const o = 'asOfMs' in options ? options : resolveOptions(options);
  const people = buildOrganisation(o);
  const prefix = externalIdPrefix(o);
  for (const person of people) yield employeeActivity(person, o, prefix);
}

/**
 * The seeded synthetic organisation, one employee at a time: the employee (employees.ndjson
 * shape), their records by kind (import shape), their historical coaching cases, and their
 * latent plan. Managers come before their reports.
 */
export async function* generateOrganisation(options: DemoOptions): AsyncGenerator<EmployeeBatch> {
  for (const batch of generateOrganisationSync(options)) yield batch;
}

/** First and last instant records may have: [asOf − 270 days, asOf). */
export function horizonOf(o: ResolvedOptions): { from: string; to: string } {
  return { from: new Date(o.asOfMs - HORIZON_DAYS * DAY).toISOString(), to: new Date(o.asOfMs).toISOString() };
}
