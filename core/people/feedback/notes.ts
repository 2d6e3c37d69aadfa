// A manager's feedback notes on someone in their line (HR and admin may write them too).
// Lifecycle: private (the employee's managers and HR read it) → shared (the employee reads it
// too). Sharing is one way: what the employee has read cannot be taken back from them.
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import type { Principal } from '../../auth/tokens.ts';
import type { Queryable, Store } from '../../store/store.ts';
import { findPerson, isHr, manages, requireText } from './people.ts';
import { recordStep } from './steps.ts';

export type NoteVisibility = 'private' | 'shared';

export interface FeedbackNote {
  id: number;
  employeeId: string;
  author: string;
  authorId: string | null;
  body: string;
  visibility: NoteVisibility;
  writtenAt: string;
  sharedAt: string | null;
}

const toNote = (r: Record<string, unknown>): FeedbackNote => ({
  id: Number(r.id),
  employeeId: r.employee_id as string,
  author: r.author as string,
  authorId: (r.author_id as string) ?? null,
  body: r.body as string,
  visibility: r.visibility as NoteVisibility,
  writtenAt: new Date(r.written_at as string).toISOString(),
  sharedAt: r.shared_at ? new Date(r.shared_at as string).toISOString() : null,
});

async function requireManager(db: Queryable, p: Principal, employeeId: string, doing: string): Promise<void> {
  if (!(await manages(db, p, employeeId))) {
    throw new AppraiseError('APPRAISE_FEEDBACK_FORBIDDEN', p.employeeId === employeeId
      ? `Notes on you are written by your manager or HR; you cannot ${doing} your own.`
      : `Only ${employeeId}'s managers and HR can ${doing} notes on them.`, { employeeId });
  }
}

export async function writeNote(store: Store, actor: Principal, input: { employeeId: string; body: string; visibility: NoteVisibility }): Promise<FeedbackNote> {
  await findPerson(store, input.employeeId);
  await requireManager(store, actor, input.employeeId, 'write');
  const body = requireText(input.body, 'body', 'the note');
  const id = await store.transaction(async (tx) => {
    const r = await tx.query<{ id: number }>(
      `INSERT INTO feedback_notes (employee_id, author_id, author, body, visibility, shared_at) VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'shared' THEN now() END) RETURNING id`,
      [input.employeeId, actor.employeeId ?? null, actor.name, body, input.visibility],
    );
    const id = Number(r.rows[0].id);
    await recordStep(tx, { subject: 'note', id, action: 'write', actor: actor.name, data: { employeeId: input.employeeId, visibility: input.visibility } });
    return id;
  });
  return getNote(store, id);
}

async function getNote(db: Queryable, id: number): Promise<FeedbackNote> {
  const r = await db.query('SELECT * FROM feedback_notes WHERE id = $1', [id]);
  if (!r.rows.length) throw new AppraiseError('APPRAISE_FEEDBACK_NOT_FOUND', `There is no note ${id}.`, { noteId: id });
  return toNote(r.rows[0]);
}

/** private → shared; only someone who may write notes on the employee shares one. */
export async function shareNote(store: Store, actor: Principal, id: number): Promise<FeedbackNote> {
  const note = await getNote(store, id);
  if (!(await manages(store, actor, note.employeeId))) throw new AppraiseError('APPRAISE_FEEDBACK_NOT_FOUND', `There is no note ${id} that you may share.`, { noteId: id });
  await store.transaction(async (tx) => {
    const r = await tx.query(`UPDATE feedback_notes SET visibility = 'shared', shared_at = now() WHERE id = $1 AND visibility = 'private'`, [id]);
    if (!r.affectedRows) throw new AppraiseError('APPRAISE_FEEDBACK_ILLEGAL_TRANSITION', `Note ${id} is already shared with ${note.employeeId}.`, { noteId: id });
    await recordStep(tx, { subject: 'note', id, action: 'share', actor: actor.name, data: { employeeId: note.employeeId } });
  });
  return getNote(store, id);
}

/**
 * The notes on an employee that the reader may read: all of them for their managers and HR, the
 * shared ones for the employee; none for anyone else (the viewer role reads no free text).
 */
export async function listNotes(db: Queryable, reader: Principal, employeeId: string): Promise<FeedbackNote[]> {
  const own = reader.employeeId === employeeId;
  if (!own && !(isHr(reader) || (await manages(db, reader, employeeId)))) {
    throw new AppraiseError('APPRAISE_FEEDBACK_FORBIDDEN', `Feedback notes on ${employeeId} are for the employee, their managers and HR.`, { employeeId });
  }
  const r = await db.query(`SELECT * FROM feedback_notes WHERE employee_id = $1${own ? ` AND visibility = 'shared'` : ''} ORDER BY written_at DESC, id DESC`, [employeeId]);
  return r.rows.map(toNote);
}
