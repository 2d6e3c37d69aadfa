// What a dispute is about, behind one small interface, so that disputes work the same for a case
// and for a review rating. A subject says whose record it is (who may dispute it, who sees the
// dispute), writes each step of the dispute into its own record (a case's timeline), and knows
// what overturning and amending it mean. `case` is implemented in case-subject.ts; a `review`
// rating plugs in by implementing this and adding one line to SUBJECTS in subjects.ts.
import type { Queryable } from '../../store/store.ts';
import { FieldError } from '../../cases/field-error.ts';
import { orList } from '../../cases/lifecycle.ts';
import { didYouMean } from '../../util/did-you-mean.ts';

export type SubjectType = 'case' | 'review';
export const SUBJECT_TYPES: readonly SubjectType[] = ['case', 'review'];

export type DisputeStatus = 'open' | 'upheld' | 'amended' | 'overturned' | 'withdrawn';
export const DISPUTE_STATUSES: readonly DisputeStatus[] = ['open', 'upheld', 'amended', 'overturned', 'withdrawn'];

/** How HR resolves a dispute (each ends it in the status of the same name, past tense). */
export type Resolution = 'uphold' | 'amend' | 'overturn';
export const RESOLUTIONS: readonly Resolution[] = ['uphold', 'amend', 'overturn'];
export const RESOLVED_STATUS: Record<Resolution, DisputeStatus> = { uphold: 'upheld', amend: 'amended', overturn: 'overturned' };

/** A subject as a dispute needs it, read (and locked) inside the dispute's transaction. */
export interface LoadedSubject {
  /** Whose record it is: they and their managers may dispute it; it decides who sees the dispute. */
  employeeId: string;
  /** Why it cannot be disputed (or resolved by overturning) now, in a sentence; undefined when it can. */
  closedToDisputes?: string;
}

/** One step of a dispute, as the subject's own record keeps it. */
export interface DisputeStep {
  disputeId: number;
  step: 'raised' | DisputeStatus;
  actor: string;
  /** The reason (raised), HR's note (resolved) or the withdrawal's note. */
  note: string | null;
  at: Date;
  section: string | null;
  data?: Record<string, unknown>;
}

/** What an amendment changed, kept on the dispute; null when the note is the whole amendment. */
export type AmendmentChange = { before: Record<string, unknown>; after: Record<string, unknown> } | null;

export interface DisputeSubject {
  readonly type: SubjectType;
  /** How people name the subject (`coaching case #12`), for messages. */
  noun(id: number, section: string | null): string;
  /** Reads and locks the subject; a subject that does not exist throws its own not-found error. */
  load(tx: Queryable, id: number, section: string | null): Promise<LoadedSubject>;
  /** Writes a step of the dispute into the subject's record, where its people see it. */
  record(tx: Queryable, id: number, step: DisputeStep): Promise<void>;
  /** Overturns the subject: it no longer stands (a case closes as overturned and leaves history facts). */
  overturn(tx: Queryable, id: number, step: DisputeStep): Promise<void>;
  /**
   * The subject stands with HR's change: the note always; `amendment` holds the fields the
   * subject accepts (a running PIP: goals, dueAt), checked here with coded field errors.
   */
  amend(tx: Queryable, id: number, step: DisputeStep, amendment: Record<string, unknown> | undefined): Promise<AmendmentChange>;
  /** Short titles for a list (`Coaching case #12`), by subject id. */
  titles(db: Queryable, ids: number[]): Promise<Map<number, string>>;
}

/** Statuses typed by a person as a filter (`--status`): a typo is an error with a did-you-mean, not an empty list. */
export function checkDisputeStatuses(values: readonly string[], field: string): DisputeStatus[] {
  for (const value of values) {
    if ((DISPUTE_STATUSES as readonly string[]).includes(value)) continue;
    throw new FieldError('APPRAISE_DISPUTE_UNKNOWN_STATUS', [field],
      (n) => `${n(field)}: \`${value}\` is not a dispute status.${didYouMean(value, DISPUTE_STATUSES)} The statuses are ${orList(DISPUTE_STATUSES, 'and')}.`,
      { value, allowed: [...DISPUTE_STATUSES] });
  }
  return values as DisputeStatus[];
}
