// Kudos: a colleague's thanks with a message and an optional value tag, or a customer's
// compliment (a survey comment) that a manager turned into kudos. Giving kudos also writes a
// `feedback.kudos` record for the receiver in the same transaction, so the `feedback.kudos`
// metric counts it like any imported record (typed storage by trigger; the data version, and
// with it every cache keyed by it, moves with the new record id). State: given (kudos are never
// taken back: the record they wrote has been counted by runs since).
import { randomUUID } from 'node:crypto';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Principal } from '../../auth/tokens.ts';
import type { Queryable, Store } from '../../store/store.ts';
import { writeRecords } from '../../records/write-records.ts';
import { didYouMean } from '../../util/did-you-mean.ts';
import { actingPerson, findPerson, manages, requireText } from './people.ts';
import { recordStep } from './steps.ts';

export const KUDOS_RECORD_KIND = 'feedback.kudos';
export const SURVEY_RECORD_KIND = 'customer-feedback.survey';
export const MESSAGE_MAX = 2000;

export type KudosSource = 'colleague' | 'customer';

export interface Kudos {
  id: number;
  receiverId: string;
  receiverName: string | null;
  source: KudosSource;
  /** The colleague who gave it; null for a customer's compliment. */
  giverId: string | null;
  giverName: string | null;
  /** Who recorded it: the giver, or the manager who turned the compliment into kudos. */
  givenBy: string;
  /** Null where the reader may not see free text (the viewer role). */
  message: string | null;
  value: string | null;
  surveyRecordId: number | null;
  givenAt: string;
}

const COLUMNS = `k.id, k.receiver_id, r.name AS receiver_name, k.source, k.giver_id, g.name AS giver_name, k.given_by, k.message, k.value, k.survey_record_id, k.given_at`;
const FROM = `FROM kudos k LEFT JOIN employees r ON r.id = k.receiver_id LEFT JOIN employees g ON g.id = k.giver_id`;

function toKudos(row: Record<string, unknown>, withText: boolean): Kudos {
  return {
    id: Number(row.id),
    receiverId: row.receiver_id as string,
    receiverName: (row.receiver_name as string) ?? null,
    source: row.source as KudosSource,
    giverId: (row.giver_id as string) ?? null,
    giverName: (row.giver_name as string) ?? null,
    givenBy: row.given_by as string,
    message: withText ? (row.message as string) : null,
    value: (row.value as string) ?? null,
    surveyRecordId: row.survey_record_id == null ? null : Number(row.survey_record_id),
    givenAt: new Date(row.given_at as string).toISOString(),
  };
}

function checkValue(value: string | undefined, values: readonly string[]): string | null {
  if (value === undefined || value === '') return null;
  if (!values.includes(value)) {
    throw new AppraiseError('APPRAISE_FEEDBACK_UNKNOWN_VALUE', `"${value}" is not one of the organisation's values.${didYouMean(value, [...values])} Choose one of ${values.map((v) => `"${v}"`).join(', ')}, or none (config people.kudos.values lists them).`, { field: 'value', allowed: values });
  }
  return value;
}

async function insertKudos(tx: Queryable, k: { receiverId: string; source: KudosSource; giverId: string | null; givenBy: string; message: string; value: string | null; surveyRecordId: number | null }, when = new Date()): Promise<number> {
  const at = when.toISOString();
  const externalId = `kudos:${randomUUID()}`;
  const payload = JSON.stringify(k.value ? { source: k.source, value: k.value } : { source: k.source });
  await writeRecords(tx, [{ kind: KUDOS_RECORD_KIND, employeeId: k.receiverId, occurredAt: at, payload, instants: null, source: 'appraise', externalId }], null);
  const record = await tx.query<{ id: number }>('SELECT id FROM records WHERE kind = $1 AND external_id = $2', [KUDOS_RECORD_KIND, externalId]);
  const r = await tx.query<{ id: number }>(
    `INSERT INTO kudos (receiver_id, source, giver_id, given_by, message, value, survey_record_id, record_id, given_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [k.receiverId, k.source, k.giverId, k.givenBy, k.message, k.value, k.surveyRecordId, record.rows[0].id, at],
  );
  return Number(r.rows[0].id);
}

export async function getKudos(db: Queryable, id: number, withText = true): Promise<Kudos> {
  const r = await db.query(`SELECT ${COLUMNS} ${FROM} WHERE k.id = $1`, [id]);
  if (!r.rows.length) throw new AppraiseError('APPRAISE_FEEDBACK_NOT_FOUND', `There are no kudos ${id}.`, { kudosId: id });
  return toKudos(r.rows[0], withText);
}

/** A colleague (never oneself) thanks someone. `at` is now, except for the demo's history. */
export async function giveKudos(store: Store, actor: Principal, input: { receiverId: string; message: string; value?: string }, values: readonly string[], at = new Date()): Promise<Kudos> {
  const giver = await actingPerson(store, actor, 'give kudos');
  if (input.receiverId === giver.id) throw new AppraiseError('APPRAISE_FEEDBACK_SELF', 'Kudos go to a colleague, not to yourself. Choose someone else as receiverId.', { field: 'receiverId' });
  const receiver = await findPerson(store, input.receiverId, 'receiverId');
  const message = requireText(input.message, 'message', 'what they did that you want to thank them for');
  const value = checkValue(input.value, values);
  const id = await store.transaction(async (tx) => {
    const id = await insertKudos(tx, { receiverId: receiver.id, source: 'colleague', giverId: giver.id, givenBy: actor.name, message, value, surveyRecordId: null }, at);
    await recordStep(tx, { subject: 'kudos', id, action: 'give', actor: actor.name, data: { receiverId: receiver.id, source: 'colleague', value } });
    return id;
  });
  return getKudos(store, id);
}

/** A manager turns a customer's compliment (a survey comment of someone in their line) into kudos, once per survey. */
export async function complimentToKudos(store: Store, actor: Principal, input: { surveyRecordId: number; value?: string }, values: readonly string[]): Promise<Kudos> {
  const r = await store.query<{ employee_id: string; comment: string | null }>(`SELECT employee_id, payload ->> 'comment' AS comment FROM records WHERE id = $1 AND kind = $2`, [input.surveyRecordId, SURVEY_RECORD_KIND]);
  const survey = r.rows[0];
  if (!survey || !(await manages(store, actor, survey.employee_id))) {
    throw new AppraiseError('APPRAISE_FEEDBACK_NOT_FOUND', `There is no survey ${input.surveyRecordId} of someone in your line. Choose a survey from the employee's customer comments.`, { field: 'surveyRecordId' });
  }
  const message = (survey.comment ?? '').trim();
  if (!message) throw new AppraiseError('APPRAISE_FEEDBACK_NO_COMMENT', `Survey ${input.surveyRecordId} has no comment to turn into kudos. Choose a survey whose customer wrote a compliment.`, { field: 'surveyRecordId' });
  const value = checkValue(input.value, values);
  const id = await store.transaction(async (tx) => {
    // Locked, so two managers turning the same compliment at once make one kudos.
    await tx.query('SELECT id FROM records WHERE id = $1 FOR UPDATE', [input.surveyRecordId]);
    const done = await tx.query<{ id: number }>('SELECT id FROM kudos WHERE survey_record_id = $1', [input.surveyRecordId]);
    if (done.rows.length) {
      throw new AppraiseError('APPRAISE_FEEDBACK_ALREADY_KUDOS', `The compliment in survey ${input.surveyRecordId} is already kudos ${done.rows[0].id}; a compliment counts once.`, { field: 'surveyRecordId', kudosId: Number(done.rows[0].id) });
    }
    const id = await insertKudos(tx, { receiverId: survey.employee_id, source: 'customer', giverId: null, givenBy: actor.name, message, value, surveyRecordId: input.surveyRecordId });
    await recordStep(tx, { subject: 'kudos', id, action: 'compliment', actor: actor.name, data: { receiverId: survey.employee_id, source: 'customer', surveyRecordId: input.surveyRecordId, value } });
    return id;
  });
  return getKudos(store, id);
}

export interface KudosQuery {
  /** Whose kudos: received by, or given by, this employee; everyone visible when absent. */
  employeeId?: string;
  direction?: 'received' | 'given';
  /** The employees the reader may see, or 'all'. */
  visible: 'all' | readonly string[];
  /** Only kudos received by someone visible (the wall); else also those given by them. */
  receivedOnly?: boolean;
  withText: boolean;
  limit: number;
}

/** Kudos the reader may see (received by someone they may see, or given by them), newest first. */
export async function listKudos(db: Queryable, q: KudosQuery): Promise<Kudos[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (q.employeeId) {
    params.push(q.employeeId);
    where.push(q.direction === 'given' ? `k.giver_id = $${params.length}` : `k.receiver_id = $${params.length}`);
  }
  if (q.visible !== 'all') {
    params.push(q.visible);
    where.push(q.receivedOnly ? `k.receiver_id = ANY($${params.length}::text[])` : `(k.receiver_id = ANY($${params.length}::text[]) OR k.giver_id = ANY($${params.length}::text[]))`);
  }
  params.push(q.limit);
  const r = await db.query(`SELECT ${COLUMNS} ${FROM}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY k.given_at DESC, k.id DESC LIMIT $${params.length}`, params);
  return r.rows.map((row) => toKudos(row, q.withText));
}

/**
 * The kudos an employee received in [from, to), oldest first, for the review packet. The packet
 * decides who may read it; this returns the messages.
 */
export async function kudosForPacket(db: Queryable, employeeId: string, from: Date, to: Date): Promise<Kudos[]> {
  const r = await db.query(`SELECT ${COLUMNS} ${FROM} WHERE k.receiver_id = $1 AND k.given_at >= $2 AND k.given_at < $3 ORDER BY k.given_at, k.id`, [employeeId, from.toISOString(), to.toISOString()]);
  return r.rows.map((row) => toKudos(row, true));
}
