// Feedback and kudos routes (core/people/feedback): kudos given and listed, customer compliments
// turned into kudos, feedback notes on an employee, upward feedback to one's manager. The domain
// functions decide who may do what on each thing; the access here only keeps the viewer role
// (which reads no free text) out of what is all free text.
import type { FastifyInstance } from 'fastify';
import type { Appraise } from '../../app/appraise.ts';
import { visibleEmployees } from '../../auth/scope.ts';
import { DEFAULT_KUDOS_VALUES } from '../../config/config.ts';
import { complimentToKudos, giveKudos, listKudos } from '../../people/feedback/kudos.ts';
import { complimentsOf } from '../../people/feedback/compliments.ts';
import { listNotes, shareNote, writeNote, type NoteVisibility } from '../../people/feedback/notes.ts';
import { manages } from '../../people/feedback/people.ts';
import { acknowledgeUpward, giveUpward, listUpward, upwardOptions } from '../../people/feedback/upward.ts';
import { ref } from '../app.ts';

const idParam = { type: 'object', properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id'] };
const employeeQuery = (required: boolean, extra: Record<string, unknown> = {}) => ({
  type: 'object', additionalProperties: false,
  properties: { employeeId: { type: 'string', minLength: 1, maxLength: 128 }, ...extra },
  ...(required ? { required: ['employeeId'] } : {}),
});

export async function registerFeedbackRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const values = (): string[] => app.config.people?.kudos.values ?? [...DEFAULT_KUDOS_VALUES];

  server.get<{ Querystring: { employeeId?: string; direction: 'received' | 'given'; limit: number } }>('/api/kudos', {
    config: { access: 'signedIn' },
    schema: {
      tags: ['feedback'],
      querystring: employeeQuery(false, {
        direction: { enum: ['received', 'given'], default: 'received', description: 'With employeeId: the kudos they received, or gave.' },
        limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
      }),
      response: { 200: ref('kudosList') },
    },
  }, async (req) => {
    const visible = await visibleEmployees(app.store, req.principal);
    const kudos = await listKudos(app.store, { ...req.query, visible, withText: req.principal.role !== 'viewer' });
    return { kudos, values: values() };
  });

  server.post<{ Body: { receiverId: string; message: string; value?: string } }>('/api/kudos', {
    config: { access: 'giveFeedback' },
    schema: { tags: ['feedback'], body: ref('kudosRequest'), response: { 200: ref('kudos') } },
  }, async (req) => giveKudos(app.store, req.principal, req.body, values()));

  server.get('/api/kudos/colleagues', {
    config: { access: 'giveFeedback' },
    schema: { tags: ['feedback'], response: { 200: ref('colleagueList') } },
  }, async (req) => {
    // Names and teams only: whom to thank, nothing about how they perform.
    const r = await app.store.query<{ id: string; name: string; team: string | null }>('SELECT id, name, team FROM employees WHERE id IS DISTINCT FROM $1 ORDER BY name, id', [req.principal.employeeId ?? null]);
    return { colleagues: r.rows, values: values() };
  });

  server.get<{ Querystring: { employeeId: string } }>('/api/kudos/compliments', {
    config: { access: 'writeFeedbackNotes' },
    schema: { tags: ['feedback'], querystring: employeeQuery(true), response: { 200: ref('complimentList') } },
  }, async (req) => ({ compliments: await complimentsOf(app.store, req.principal, req.query.employeeId) }));

  server.post<{ Body: { surveyRecordId: number; value?: string } }>('/api/kudos/compliments', {
    config: { access: 'writeFeedbackNotes' },
    schema: { tags: ['feedback'], body: ref('complimentRequest'), response: { 200: ref('kudos') } },
  }, async (req) => complimentToKudos(app.store, req.principal, req.body, values()));

  server.get<{ Querystring: { employeeId: string } }>('/api/feedback/notes', {
    config: { access: 'giveFeedback' },
    schema: { tags: ['feedback'], querystring: employeeQuery(true), response: { 200: ref('feedbackNoteList') } },
  }, async (req) => ({
    notes: await listNotes(app.store, req.principal, req.query.employeeId),
    mayWrite: await manages(app.store, req.principal, req.query.employeeId),
  }));

  server.post<{ Body: { employeeId: string; body: string; visibility: NoteVisibility } }>('/api/feedback/notes', {
    config: { access: 'writeFeedbackNotes' },
    schema: { tags: ['feedback'], body: ref('feedbackNoteRequest'), response: { 200: ref('feedbackNote') } },
  }, async (req) => writeNote(app.store, req.principal, req.body));

  server.post<{ Params: { id: number } }>('/api/feedback/notes/:id/share', {
    config: { access: 'writeFeedbackNotes' },
    schema: { tags: ['feedback'], params: idParam, response: { 200: ref('feedbackNote') } },
  }, async (req) => shareNote(app.store, req.principal, req.params.id));

  server.get('/api/feedback/upward', {
    config: { access: 'giveFeedback' },
    schema: { tags: ['feedback'], response: { 200: ref('upwardList') } },
  }, async (req) => ({ feedback: await listUpward(app.store, req.principal) }));

  server.get('/api/feedback/upward/options', {
    config: { access: 'giveFeedback' },
    schema: { tags: ['feedback'], response: { 200: ref('upwardOptions') } },
  }, async (req) => upwardOptions(app.store, req.principal));

  server.post<{ Body: { body: string; anonymous: boolean } }>('/api/feedback/upward', {
    config: { access: 'giveFeedback' },
    schema: { tags: ['feedback'], body: ref('upwardRequest'), response: { 200: ref('upwardFeedback') } },
  }, async (req) => giveUpward(app.store, req.principal, req.body));

  server.post<{ Params: { id: number } }>('/api/feedback/upward/:id/acknowledge', {
    config: { access: 'giveFeedback' },
    schema: { tags: ['feedback'], params: idParam, response: { 200: ref('upwardFeedback') } },
  }, async (req) => acknowledgeUpward(app.store, req.principal, req.params.id));
}
