// Kudos, feedback notes and upward feedback on both store back-ends: what each person sees,
// what is refused (with its code), and that anonymous feedback leaves no trace of its author.
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, storeForSuite } from '../store/backends.ts';
import type { Principal } from '../../core/auth/tokens.ts';
import type { Store } from '../../core/store/store.ts';
import { complimentToKudos, giveKudos, kudosForPacket, listKudos } from '../../core/people/feedback/kudos.ts';
import { listNotes, shareNote, writeNote } from '../../core/people/feedback/notes.ts';
import { acknowledgeUpward, giveUpward, listUpward, upwardOptions } from '../../core/people/feedback/upward.ts';
import { DEFAULT_KUDOS_VALUES } from '../../core/config/config.ts';

const VALUES = [...DEFAULT_KUDOS_VALUES];
// m1 manages five (a1..a5), m2 manages two (b1, b2); hr acts as h1.
const PEOPLE: Array<[string, string | null]> = [['m1', null], ['m2', null], ['h1', null], ['a1', 'm1'], ['a2', 'm1'], ['a3', 'm1'], ['a4', 'm1'], ['a5', 'm1'], ['b1', 'm2'], ['b2', 'm2']];
const as = (employeeId: string, role: Principal['role'] = 'employee'): Principal => ({ tokenId: 1, name: `${employeeId}-token`, role, employeeId });
const viewer: Principal = { tokenId: 9, name: 'auditor', role: 'viewer' };

async function seed(store: Store): Promise<void> {
  for (const [id, manager] of PEOPLE) await store.query(`INSERT INTO employees (id, name, manager_id, attributes, content_hash) VALUES ($1, $2, $3, '{"gender":"x"}', 'x')`, [id, `Name ${id}`, manager]);
  await store.query(`INSERT INTO records (kind, employee_id, occurred_at, payload, external_id) VALUES
    ('customer-feedback.survey', 'a1', '2026-11-02T10:00:00Z', '{"csat":5,"comment":"Ana was wonderful"}', 's1'),
    ('customer-feedback.survey', 'a1', '2026-11-03T10:00:00Z', '{"csat":4}', 's2'),
    ('customer-feedback.survey', 'b1', '2026-11-03T10:00:00Z', '{"csat":5,"comment":"Great help"}', 's3')`);
}

const code = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: { code?: string }) => e.code);
const surveyId = async (store: Store, ext: string) => Number((await store.query<{ id: number }>('SELECT id FROM records WHERE external_id = $1', [ext])).rows[0].id);

for (const backend of BACKENDS) {
  describe(`feedback and kudos (${backend.name})`, async () => {
    const suite = await storeForSuite(backend, seed);
    const it_ = it.skipIf(suite.skip);

    it_('kudos go to a colleague with a value tag, write a feedback.kudos record, and are audited', async () => {
      const store = suite.store;
      const k = await giveKudos(store, as('a2'), { receiverId: 'a1', message: 'Covered my shift', value: 'Teamwork' }, VALUES);
      expect(k).toMatchObject({ receiverId: 'a1', receiverName: 'Name a1', source: 'colleague', giverId: 'a2', giverName: 'Name a2', message: 'Covered my shift', value: 'Teamwork' });
      const rec = await store.query<{ employee_id: string; payload: unknown }>(`SELECT employee_id, payload FROM records WHERE kind = 'feedback.kudos'`);
      expect(rec.rows).toEqual([{ employee_id: 'a1', payload: { source: 'colleague', value: 'Teamwork' } }]);
      const audit = await store.query<{ actor: string; action: string; target: string }>(`SELECT actor, action, target FROM audit_log WHERE action LIKE 'kudos.%'`);
      expect(audit.rows).toEqual([{ actor: 'a2-token', action: 'kudos.give', target: `kudos:${k.id}` }]);
      // Not to oneself; not an unknown value; not from a token that is nobody.
      expect(await code(giveKudos(store, as('a2'), { receiverId: 'a2', message: 'me' }, VALUES))).toBe('APPRAISE_FEEDBACK_SELF');
      expect(await code(giveKudos(store, as('a2'), { receiverId: 'a1', message: 'x', value: 'Teamwrk' }, VALUES))).toBe('APPRAISE_FEEDBACK_UNKNOWN_VALUE');
      expect(await code(giveKudos(store, { tokenId: 2, name: 'ops', role: 'admin' }, { receiverId: 'a1', message: 'x' }, VALUES))).toBe('APPRAISE_FEEDBACK_NO_EMPLOYEE');
      expect(await code(giveKudos(store, as('a2'), { receiverId: 'a1', message: '   ' }, VALUES))).toBe('APPRAISE_FEEDBACK_EMPTY_TEXT');
      expect(await code(giveKudos(store, as('a2'), { receiverId: 'nobody', message: 'x' }, VALUES))).toBe('APPRAISE_EMPLOYEE_NOT_FOUND');
    });

    it_('a manager turns a customer compliment of their line into kudos once; not a survey without comment, not outside their line', async () => {
      const store = suite.store;
      const s1 = await surveyId(store, 's1');
      const k = await complimentToKudos(store, as('m1', 'manager'), { surveyRecordId: s1 }, VALUES);
      expect(k).toMatchObject({ receiverId: 'a1', source: 'customer', giverId: null, givenBy: 'm1-token', message: 'Ana was wonderful', surveyRecordId: s1 });
      expect(await code(complimentToKudos(store, as('m1', 'manager'), { surveyRecordId: s1 }, VALUES))).toBe('APPRAISE_FEEDBACK_ALREADY_KUDOS');
      expect(await code(complimentToKudos(store, as('m1', 'manager'), { surveyRecordId: await surveyId(store, 's2') }, VALUES))).toBe('APPRAISE_FEEDBACK_NO_COMMENT');
      expect(await code(complimentToKudos(store, as('m1', 'manager'), { surveyRecordId: await surveyId(store, 's3') }, VALUES))).toBe('APPRAISE_FEEDBACK_NOT_FOUND');
      expect(await code(complimentToKudos(store, as('a2'), { surveyRecordId: await surveyId(store, 's3') }, VALUES))).toBe('APPRAISE_FEEDBACK_NOT_FOUND');
      const records = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM records WHERE kind = 'feedback.kudos' AND employee_id = 'a1'`);
      expect(records.rows[0].n).toBe(2);
    });

    it_('each sees the kudos of whom they may see; the viewer without the message; the packet gets the period\'s kudos', async () => {
      const store = suite.store;
      await giveKudos(store, as('b1'), { receiverId: 'b2', message: 'Thanks for the handover' }, VALUES);
      const mine = await listKudos(store, { visible: ['a1'], withText: true, limit: 50 });
      expect(mine.map((k) => k.source).sort()).toEqual(['colleague', 'customer']);
      const all = await listKudos(store, { visible: 'all', withText: false, limit: 50 });
      expect(all).toHaveLength(3);
      expect(all.every((k) => k.message === null)).toBe(true);
      expect(JSON.stringify(all)).not.toContain('gender');
      const given = await listKudos(store, { visible: 'all', employeeId: 'a2', direction: 'given', withText: true, limit: 50 });
      expect(given.map((k) => k.receiverId)).toEqual(['a1']);
      const packet = await kudosForPacket(store, 'a1', new Date('2000-01-01'), new Date('2100-01-01'));
      expect(packet.map((k) => k.message)).toEqual(['Covered my shift', 'Ana was wonderful']);
      expect(await kudosForPacket(store, 'a1', new Date('2000-01-01'), new Date('2001-01-01'))).toEqual([]);
    });

    it_('feedback notes: private to managers and HR until shared, then the employee reads them too', async () => {
      const store = suite.store;
      const note = await writeNote(store, as('m1', 'manager'), { employeeId: 'a3', body: 'Strong on escalations', visibility: 'private' });
      expect(await listNotes(store, as('a3'), 'a3')).toEqual([]);
      expect((await listNotes(store, as('h1', 'hr'), 'a3')).map((n) => n.body)).toEqual(['Strong on escalations']);
      expect(await code(listNotes(store, as('m2', 'manager'), 'a3'))).toBe('APPRAISE_FEEDBACK_FORBIDDEN');
      expect(await code(listNotes(store, viewer, 'a3'))).toBe('APPRAISE_FEEDBACK_FORBIDDEN');
      expect(await code(writeNote(store, as('a3'), { employeeId: 'a3', body: 'x', visibility: 'shared' }))).toBe('APPRAISE_FEEDBACK_FORBIDDEN');
      expect(await code(writeNote(store, as('m2', 'manager'), { employeeId: 'a3', body: 'x', visibility: 'shared' }))).toBe('APPRAISE_FEEDBACK_FORBIDDEN');
      const shared = await shareNote(store, as('m1', 'manager'), note.id);
      expect(shared).toMatchObject({ visibility: 'shared' });
      expect((await listNotes(store, as('a3'), 'a3')).map((n) => n.body)).toEqual(['Strong on escalations']);
      expect(await code(shareNote(store, as('m1', 'manager'), note.id))).toBe('APPRAISE_FEEDBACK_ILLEGAL_TRANSITION');
      const events = await store.query<{ action: string }>(`SELECT action FROM feedback_events WHERE subject = 'note' AND subject_id = $1 ORDER BY id`, [note.id]);
      expect(events.rows.map((e) => e.action)).toEqual(['write', 'share']);
    });

    it_('upward feedback is anonymous only in a group of five or more, and an anonymous one names its author nowhere', async () => {
      const store = suite.store;
      expect(await upwardOptions(store, as('a4'))).toMatchObject({ managerId: 'm1', groupSize: 5, anonymousAllowed: true });
      expect(await upwardOptions(store, as('b1'))).toMatchObject({ managerId: 'm2', groupSize: 2, anonymousAllowed: false });
      expect(await code(giveUpward(store, as('b1'), { body: 'More 1:1s please', anonymous: true }))).toBe('APPRAISE_FEEDBACK_ANONYMITY_UNAVAILABLE');
      expect(await code(giveUpward(store, as('m1', 'manager'), { body: 'x', anonymous: false }))).toBe('APPRAISE_FEEDBACK_NO_MANAGER');
      const named = await giveUpward(store, as('b1'), { body: 'More 1:1s please', anonymous: false });
      expect(named).toMatchObject({ managerId: 'm2', anonymous: false, authorId: 'b1', author: 'b1-token', status: 'given' });
      const anon = await giveUpward(store, as('a4'), { body: 'Meetings run long', anonymous: true });
      expect(anon).toMatchObject({ managerId: 'm1', anonymous: true, authorId: null, author: null });
      // Nowhere in the store: not the row, not its events, not the audit log.
      const traces = await store.query<{ t: string }>(
        `SELECT row_to_json(u)::text AS t FROM upward_feedback u WHERE id = $1
         UNION ALL SELECT row_to_json(e)::text FROM feedback_events e WHERE subject = 'upward' AND subject_id = $1
         UNION ALL SELECT row_to_json(a)::text FROM audit_log a WHERE target = $2`, [anon.id, `upward:${anon.id}`]);
      expect(traces.rows).toHaveLength(3);
      for (const { t } of traces.rows) expect(t).not.toMatch(/a4/);
      const audit = await store.query<{ actor: string; at: Date }>(`SELECT actor, at FROM audit_log WHERE target = $1`, [`upward:${anon.id}`]);
      expect(audit.rows[0].actor).toBe('anonymous');
      const at = new Date(audit.rows[0].at);
      expect([at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds()]).toEqual([0, 0, 0]); // dated to the day, not the instant
      // The manager sees what came to them; HR sees all; the author does not find their anonymous one again.
      expect((await listUpward(store, as('m1', 'manager'))).map((u) => u.body)).toEqual(['Meetings run long']);
      expect((await listUpward(store, as('h1', 'hr'))).map((u) => u.body).sort()).toEqual(['Meetings run long', 'More 1:1s please']);
      expect(await listUpward(store, as('a4'))).toEqual([]);
      expect(await code(listUpward(store, viewer))).toBe('APPRAISE_FEEDBACK_FORBIDDEN');
      expect(await acknowledgeUpward(store, as('m1', 'manager'), anon.id)).toMatchObject({ status: 'acknowledged' });
      expect(await code(acknowledgeUpward(store, as('m1', 'manager'), anon.id))).toBe('APPRAISE_FEEDBACK_ILLEGAL_TRANSITION');
      expect(await code(acknowledgeUpward(store, as('m2', 'manager'), anon.id))).toBe('APPRAISE_FEEDBACK_NOT_FOUND');
    });
  });
}
