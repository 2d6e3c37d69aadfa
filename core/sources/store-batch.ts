// One batch of a sync, stored in ONE transaction: its people (matched or added), its records
// (valid ones written once, those of people not known yet parked, bad ones set aside), what the
// vendor reports deleted, parked records whose person is now known, an `imports` row, the sync's
// counts and the source's cursor. A process killed before the commit leaves nothing of the batch,
// and the next sync starts again from the cursor of the last committed one.
import type { SourceBatch, SourceRecord } from '../plugins/api.ts';
import type { RecordKindInfo } from '../plugins/manifest.ts';
import type { Queryable, Store } from '../store/store.ts';
import { writeRecords, type RecordRow } from '../records/write-records.ts';
import { payloadInstants } from '../metrics/aggregate/instants.ts';
import { redactValue } from '../config/secrets.ts';
import { knownPeople, resolvePeople } from './identities.ts';
import { recordProblems, type RecordProblem } from './check-record.ts';

export interface BatchCounts {
  records: number;
  inserted: number;
  duplicates: number;
  employeesAdded: number;
  employeesMatched: number;
  parked: number;
  /** Parked records stored now that their person is known. */
  unparked: number;
  rejected: number;
  deleted: number;
  rateLimitWaits: number;
  waitedMs: number;
}

export interface SetAside {
  kind: string;
  id: string;
  field: string;
  problem: string;
}

export interface StoredBatch {
  counts: BatchCounts;
  rejects: SetAside[];
  /** Record kinds that got new rows (for planner statistics). */
  insertedByKind: Map<string, number>;
}

export interface BatchContext {
  sourceName: string;
  sourceId: string;
  syncId: number;
  produces: readonly string[];
  kinds: ReadonlyMap<string, RecordKindInfo>;
  waits: { count: number; ms: number };
}

const externalId = (sourceName: string, id: string) => `${sourceName}:${id}`;

function rowOf(ctx: BatchContext, r: SourceRecord, employeeId: string): RecordRow {
  const instants = payloadInstants(r.payload);
  return {
    kind: r.kind,
    employeeId,
    occurredAt: r.occurredAt,
    payload: JSON.stringify(r.payload),
    instants: instants === null ? null : JSON.stringify(instants),
    source: ctx.sourceName,
    externalId: externalId(ctx.sourceName, r.id),
  };
}

async function writeByKind(tx: Queryable, rows: RecordRow[], importId: number, into: Map<string, number>): Promise<number> {
  let inserted = 0;
  for (const kind of new Set(rows.map((r) => r.kind))) {
    const n = await writeRecords(tx, rows.filter((r) => r.kind === kind), importId);
    into.set(kind, (into.get(kind) ?? 0) + n);
    inserted += n;
  }
  return inserted;
}

export async function storeBatch(store: Store, ctx: BatchContext, batch: SourceBatch): Promise<StoredBatch> {
  return store.transaction(async (tx) => {
    const counts: BatchCounts = { records: batch.records.length, inserted: 0, duplicates: 0, employeesAdded: 0, employeesMatched: 0, parked: 0, unparked: 0, rejected: 0, deleted: 0, rateLimitWaits: ctx.waits.count, waitedMs: ctx.waits.ms };
    const rejects: Array<SetAside & { record: unknown }> = [];
    const insertedByKind = new Map<string, number>();
    const imported = await tx.query<{ id: number }>(
      `INSERT INTO imports (target, kind, file, file_hash, actor, source_sync_id) VALUES ('records', NULL, $1, '', $2, $3) RETURNING id`,
      [`source ${ctx.sourceName}`, `source:${ctx.sourceName}`, ctx.syncId],
    );
    const importId = Number(imported.rows[0].id);

    const people = await resolvePeople(tx, ctx.sourceName, batch.employees ?? []);
    counts.employeesAdded = people.added;
    counts.employeesMatched = people.matched;
    for (const p of people.rejected) rejects.push({ kind: 'employee', id: p.vendorId, field: p.field, problem: p.problem, record: p.person });

    for (const d of batch.deleted ?? []) {
      const r = await tx.query('INSERT INTO source_deleted (source_name, kind, vendor_id, sync_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [ctx.sourceName, d.kind, d.id, ctx.syncId]);
      counts.deleted += r.affectedRows ?? 0;
    }
    const deleted = new Set((await tx.query<{ kind: string; vendor_id: string }>(
      'SELECT kind, vendor_id FROM source_deleted WHERE source_name = $1 AND vendor_id = ANY($2::text[])',
      [ctx.sourceName, batch.records.map((r) => String((r as { id?: unknown }).id ?? ''))],
    )).rows.map((r) => `${r.kind}\0${r.vendor_id}`));

    const valid: SourceRecord[] = [];
    for (const record of batch.records) {
      const problems: RecordProblem[] = recordProblems(record, ctx.produces, ctx.kinds);
      if (problems.length) {
        const r = record as Partial<SourceRecord>;
        for (const p of problems) rejects.push({ kind: String(r?.kind ?? '(none)'), id: String(r?.id ?? '(none)'), ...p, record });
        counts.rejected++;
      } else if (!deleted.has(`${record.kind}\0${record.id}`)) valid.push(record);
    }
    const who = await knownPeople(tx, ctx.sourceName, valid.map((r) => r.person));
    const rows: RecordRow[] = [];
    const waitingNow: SourceRecord[] = [];
    for (const r of valid) {
      const employeeId = who.get(r.person);
      if (employeeId) rows.push(rowOf(ctx, r, employeeId));
      else waitingNow.push(r);
    }
    if (waitingNow.length) {
      // One statement for the batch's parked records (a first sync may park many).
      const parked = await tx.query(
        `INSERT INTO source_parked (source_name, kind, vendor_id, person, record, sync_id)
         SELECT $1, t.kind, t.id, t.person, t.record::jsonb, $2 FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS t(kind, id, person, record)
         ON CONFLICT DO NOTHING`,
        [ctx.sourceName, ctx.syncId, waitingNow.map((r) => r.kind), waitingNow.map((r) => r.id), waitingNow.map((r) => r.person), waitingNow.map((r) => JSON.stringify(r))],
      );
      counts.parked += parked.affectedRows ?? 0;
    }
    counts.inserted = await writeByKind(tx, rows, importId, insertedByKind);
    counts.duplicates = rows.length - counts.inserted;

    // Parked records whose person is known now (this batch's people, or an import of employees
    // matched since): stored, and marked stored (the parked row stays, for the record).
    const waiting = await tx.query<{ kind: string; vendor_id: string; record: SourceRecord; employee_id: string }>(
      `SELECT p.kind, p.vendor_id, p.record, i.employee_id FROM source_parked AS p
       JOIN source_identities AS i ON i.source_name = p.source_name AND i.vendor_id = p.person
       WHERE p.source_name = $1 AND p.stored_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM source_deleted AS d WHERE d.source_name = p.source_name AND d.kind = p.kind AND d.vendor_id = p.vendor_id)`,
      [ctx.sourceName],
    );
    if (waiting.rows.length) {
      const n = await writeByKind(tx, waiting.rows.map((w) => rowOf(ctx, w.record, w.employee_id)), importId, insertedByKind);
      counts.unparked = waiting.rows.length;
      counts.inserted += n;
      await tx.query(
        `UPDATE source_parked SET stored_at = now() WHERE source_name = $1 AND stored_at IS NULL AND (kind, vendor_id) IN (SELECT * FROM unnest($2::text[], $3::text[]))`,
        [ctx.sourceName, waiting.rows.map((w) => w.kind), waiting.rows.map((w) => w.vendor_id)],
      );
    }

    for (const r of rejects) {
      await tx.query(
        'INSERT INTO source_rejects (source_name, sync_id, kind, vendor_id, field, problem, record) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT DO NOTHING',
        [ctx.sourceName, ctx.syncId, r.kind, r.id, r.field, r.problem, JSON.stringify(redactValue(r.record ?? null))],
      );
    }
    await tx.query(
      `UPDATE imports SET finished_at = now(), rows_read = $2, rows_inserted = $3, rows_unchanged = $4, rows_rejected = $5 WHERE id = $1`,
      [importId, counts.records, counts.inserted, counts.duplicates, counts.rejected],
    );
    await tx.query(
      `INSERT INTO source_state (name, source_id, cursor, sync_id, updated_at) VALUES ($1, $2, $3::jsonb, $4, now())
       ON CONFLICT (name) DO UPDATE SET source_id = excluded.source_id, cursor = excluded.cursor, sync_id = excluded.sync_id, updated_at = now()`,
      [ctx.sourceName, ctx.sourceId, JSON.stringify(batch.nextCursor ?? null), ctx.syncId],
    );
    await tx.query(
      `UPDATE source_syncs SET batches = batches + 1, inserted = inserted + $2, duplicates = duplicates + $3, employees_added = employees_added + $4,
         employees_matched = employees_matched + $5, parked = parked + $6, unparked = unparked + $7, rejected = rejected + $8, deleted = deleted + $9,
         rate_limit_waits = rate_limit_waits + $10, waited_ms = waited_ms + $11, notes = notes || $12::jsonb
       WHERE id = $1`,
      [ctx.syncId, counts.inserted, counts.duplicates, counts.employeesAdded, counts.employeesMatched, counts.parked, counts.unparked, counts.rejected, counts.deleted,
        counts.rateLimitWaits, counts.waitedMs, JSON.stringify(redactValue(batch.notes ?? []))],
    );
    return { counts, rejects: rejects.map(({ record: _r, ...rest }) => rest), insertedByKind };
  });
}
