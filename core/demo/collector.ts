// One employee's records while they are being drawn: kept with their numeric time, sorted
// by it when the employee is done, and given external ids in that order — so an id names the
// same record in every run with the same seed, and re-importing a demo adds nothing.
import { iso } from './calendar.ts';
import { RECORD_KINDS, type DemoRecordKind, type RecordsByKind } from './types.ts';

export interface Entry {
  t: number;
  payload: Record<string, unknown>;
  /** Tickets: seconds to the first response (the history check reads it without re-parsing). */
  seconds?: number;
  /** A fixed id suffix (quotas: the quarter) instead of the running number. */
  key?: string;
}

const ID_CODE: Record<DemoRecordKind, string> = {
  'customer-feedback.survey': 's',
  'support.ticket': 't',
  'sales.deal': 'd',
  'sales.quota': 'q',
  'training.training': 'c',
};

export class Collector {
  readonly entries: Record<DemoRecordKind, Entry[]> = {
    'customer-feedback.survey': [],
    'support.ticket': [],
    'sales.deal': [],
    'sales.quota': [],
    'training.training': [],
  };

  add(kind: DemoRecordKind, t: number, payload: Record<string, unknown>, extra?: { seconds?: number; key?: string }): void {
    this.entries[kind].push(extra ? { t, payload, ...extra } : { t, payload });
  }

  /** Entries of a kind with t in [from, to). */
  *between(kind: DemoRecordKind, from: number, to: number): Iterable<Entry> {
    for (const e of this.entries[kind]) if (e.t >= from && e.t < to) yield e;
  }

  finish(employeeId: string, idPrefix: string): RecordsByKind {
    const out = {} as RecordsByKind;
    for (const kind of RECORD_KINDS) {
      const list = this.entries[kind];
      list.sort((a, b) => a.t - b.t); // Array#sort is stable: equal times keep their drawing order
      const code = ID_CODE[kind];
      out[kind] = list.map((e, i) => ({
        employeeId,
        occurredAt: iso(e.t),
        externalId: `${idPrefix}${employeeId}-${code}${e.key ?? i + 1}`,
        payload: e.payload,
      }));
    }
    return out;
  }
}
