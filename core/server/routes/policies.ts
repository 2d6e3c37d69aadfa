// Policy routes: list, versions, validate, publish (a stale base version is a 409), diff,
// roll back, and simulate a draft with its impact diff and fairness report. With four-eyes
// publish (policies.publish.approvals: 1) a publish or rollback is proposed (202) and another hr
// or admin approves or rejects it.
import type { FastifyInstance } from 'fastify';
import { nextRunOf } from '../../run/scheduler.ts';
import type { Appraise } from '../../app/appraise.ts';
import { AppraiseError, hasErrors, sortDiagnostics } from '../../diagnostics/diagnostic.ts';
import { loadPolicyText } from '../../policy/load.ts';
import { analysisDiagnostics } from '../../analysis/diagnostics.ts';
import { diffVersions, getVersion, listPolicies, policyHistory, publishPolicy, rollbackPolicy, type PolicyVersion } from '../../policy/versions.ts';
import { approvalsRequired, auditPolicyStep, listProposals, proposePolicy, reviewProposal } from '../../policy/proposals.ts';
import { simulateDraft } from '../../run/simulate.ts';
import { backtestDraft, publishedDraft } from '../../run/backtest.ts';
import { parseInstant } from '../../util/instant.ts';
import { fairnessFor } from '../fairness.ts';
import type { Queryable } from '../../store/store.ts';
import { ref } from '../app.ts';
import { enforcementOf } from '../../compliance/notices/queries.ts';
import { noticeSettings } from '../../compliance/notices/record.ts';
import { enforcedFromOf, inNoticePeriod, noticePeriodWords } from '../../compliance/notices/notice-period.ts';

const audit = (actor: string, action: string, before: unknown) => async (tx: Queryable, v: PolicyVersion) => {
  await tx.query(`INSERT INTO audit_log (actor, action, target, before, after) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)`, [
    actor, action, `policy:${v.policyId}`, JSON.stringify(before), JSON.stringify({ version: v.version, contentHash: v.contentHash, comment: v.comment }),
  ]);
};

const withoutYaml = ({ yaml: _y, ...rest }: PolicyVersion) => rest;

export async function registerPolicyRoutes(server: FastifyInstance, app: Appraise): Promise<void> {
  const idParam = { type: 'object', properties: { id: ref('policyId') }, required: ['id'] };

  server.get('/api/policies', { config: { access: 'readPolicies' }, schema: { tags: ['policies'], response: { 200: ref('policyList') } } }, async (req) => {
    const policies = await listPolicies(app.store);
    // A version still in its notice period (policies.noticeDays) says until when it only records decisions.
    const enforcement = await enforcementOf(app.store, policies.map((p) => ({ policyId: p.policyId, version: p.latestVersion })), noticeSettings(app.config).noticeDays);
    return {
      policies: policies.map((p) => {
        const e = enforcement.get(p.policyId);
        // The next scheduled run, as the scheduler computes it (the UI carries no cron library).
        const next = p.schedule ? nextRunOf(p.schedule) : null;
        const withNext = p.schedule ? { ...p, nextRun: next ? next.toISOString() : null } : p;
        return e && inNoticePeriod(new Date(), e.enforcedFrom) ? { ...withNext, noticePeriod: e } : withNext;
      }),
    };
  });

  server.get<{ Params: { id: string } }>('/api/policies/:id', { config: { access: 'readPolicies' }, schema: { tags: ['policies'], params: idParam, response: { 200: ref('policyDetail') } } }, async (req) => {
    const versions = await policyHistory(app.store, req.params.id);
    // `latest` is the version in force; proposed and rejected ones are only in `versions`.
    return { latest: versions.find((v) => v.status === 'published') ?? versions[0], versions: versions.map(withoutYaml) };
  });

  const versionParams = { type: 'object', properties: { id: ref('policyId'), version: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['id', 'version'] };
  server.get<{ Params: { id: string; version: number } }>('/api/policies/:id/versions/:version', {
    config: { access: 'readPolicies' },
    schema: { tags: ['policies'], params: versionParams, response: { 200: ref('policyVersion') } },
  }, async (req) => {
    return getVersion(app.store, req.params.id, req.params.version);
  });

  server.get<{ Params: { id: string }; Querystring: { from: number; to: number } }>('/api/policies/:id/diff', {
    config: { access: 'readPolicies' },
    schema: { tags: ['policies'], params: idParam, querystring: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: { type: 'integer', minimum: 1, maximum: 2147483647 }, to: { type: 'integer', minimum: 1, maximum: 2147483647 } } }, response: { 200: ref('policyDiff') } },
  }, async (req) => {
    const [a, b] = await Promise.all([getVersion(app.store, req.params.id, req.query.from), getVersion(app.store, req.params.id, req.query.to)]);
    return { from: a.version, to: b.version, fromYaml: a.yaml, toYaml: b.yaml, unified: await diffVersions(app.store, req.params.id, a.version, b.version) };
  });

  server.post<{ Body: { yaml: string; file?: string } }>('/api/policies/validate', { config: { access: 'readPolicies' }, schema: { tags: ['policies'], body: ref('validateRequest'), response: { 200: ref('validateResponse') } } }, async (req) => {
    const loaded = loadPolicyText(req.body.file ?? 'draft.policy.yaml', req.body.yaml, app.registry);
    const diagnostics = [...loaded.diagnostics, ...analysisDiagnostics(loaded, app.registry)];
    return { valid: !hasErrors(diagnostics), policyId: loaded.policy?.metadata.id ?? null, diagnostics: sortDiagnostics(diagnostics) };
  });

  const loadDraft = (id: string, yaml: string) => {
    const loaded = loadPolicyText(`${id}.policy.yaml`, yaml, app.registry);
    if (!loaded.policy) throw new AppraiseError('APPRAISE_POLICY_INVALID', 'The policy has errors; nothing was published. See `details.diagnostics` for each one with its line and column.', { diagnostics: sortDiagnostics(loaded.diagnostics) });
    if (loaded.policy.metadata.id !== id) throw new AppraiseError('APPRAISE_API_BAD_REQUEST', `The text's metadata.id is \`${loaded.policy.metadata.id}\`, but it is sent to /api/policies/${id}.`);
    return loaded.policy;
  };

  server.put<{ Params: { id: string }; Body: { yaml: string; comment: string; baseVersion?: number; preview?: unknown; fairness?: unknown } }>('/api/policies/:id', {
    config: { access: 'publishPolicies' },
    schema: { tags: ['policies'], params: idParam, body: ref('publishRequest'), response: { 200: ref('publishResponse'), 202: ref('publishResponse') } },
  }, async (req, reply) => {
    const policy = loadDraft(req.params.id, req.body.yaml);
    const input = { policy, yaml: req.body.yaml, author: req.principal.name, comment: req.body.comment, baseVersion: req.body.baseVersion, notice: app.noticeContext };
    if (approvalsRequired(app.config) > 0) {
      const { version, changed } = await proposePolicy(app.store, { ...input, preview: req.body.preview, fairness: req.body.fairness });
      if (changed) reply.code(202);
      return { changed, version, awaitingApproval: changed };
    }
    const before = { baseVersion: req.body.baseVersion ?? null };
    const { version, changed } = await publishPolicy(app.store, input, audit(req.principal.name, 'policy.publish', before));
    return { changed, version };
  });

  server.get<{ Params: { id: string } }>('/api/policies/:id/proposals', {
    config: { access: 'readPolicies' },
    schema: { tags: ['policies'], params: idParam, response: { 200: ref('proposalList') } },
  }, async (req) => {
    return { proposals: await listProposals(app.store, req.params.id) };
  });

  for (const decision of ['approve', 'reject'] as const) {
    server.post<{ Params: { id: string; version: number }; Body: { note: string } }>(`/api/policies/:id/versions/:version/${decision}`, {
      config: { access: 'publishPolicies' },
      schema: { tags: ['policies'], params: versionParams, body: ref('reviewRequest'), response: { 200: ref('policyVersion') } },
    }, async (req) => {
      return reviewProposal(app.store, { policyId: req.params.id, version: req.params.version, reviewer: req.principal.name, note: req.body.note, decision, notice: app.noticeContext });
    });
  }

  server.post<{ Params: { id: string }; Body: { version: number; comment?: string } }>('/api/policies/:id/rollback', {
    config: { access: 'publishPolicies' },
    schema: { tags: ['policies'], params: idParam, body: ref('rollbackRequest'), response: { 200: ref('publishResponse'), 202: ref('publishResponse') } },
  }, async (req, reply) => {
    const propose = approvalsRequired(app.config) > 0;
    const { version, changed } = await rollbackPolicy(app.store, {
      policyId: req.params.id, version: req.body.version, author: req.principal.name, comment: req.body.comment, propose, notice: app.noticeContext,
      load: (yaml) => loadPolicyText(`${req.params.id}@v${req.body.version}`, yaml, app.registry),
    }, propose
      ? (tx, v) => auditPolicyStep(tx, req.principal.name, 'policy.propose', v, { rollbackTo: req.body.version })
      : audit(req.principal.name, 'policy.rollback', { rollbackTo: req.body.version }));
    if (propose && changed) reply.code(202);
    return propose ? { changed, version, awaitingApproval: changed } : { changed, version };
  });

  server.post<{ Params: { id: string }; Body: { yaml: string; asOf?: string } }>('/api/policies/:id/simulate', {
    config: { access: 'simulate', expensive: true },
    schema: { tags: ['policies'], params: idParam, body: ref('simulateRequest'), response: { 200: ref('simulateResponse') } },
  }, async (req) => {
    const policy = loadDraft(req.params.id, req.body.yaml);
    const asOf = parseInstant(req.body.asOf, 'asOf');
    const sim = await simulateDraft(app.store, { registry: app.registry, metrics: app.plugins.metrics, host: app.host, ...app.decisionLogOption('preview') }, policy, asOf);
    const { population, selected, ...rest } = sim;
    // Published now, the draft would only record its decisions until its notice period ends.
    const { noticeDays } = noticeSettings(app.config);
    const enforcedFrom = enforcedFromOf(new Date().toISOString(), noticeDays);
    const noticePeriod = noticeDays > 0 ? { noticeDays, enforcedFrom, words: `Published now, it is ${noticePeriodWords(enforcedFrom, noticeDays)}; until then its decisions are recorded and no case is opened.` } : undefined;
    return { ...rest, fairness: fairnessFor(app.config, population, selected), ...(noticePeriod ? { noticePeriod } : {}) };
  });

  // A backtest replays a whole range of previews: the draft text, or the latest published version when none is sent.
  server.post<{ Params: { id: string }; Body: { yaml?: string; from: string; to: string; cycle?: 'week' | 'month' | 'quarter' | 'year'; against?: 'published' | number } }>('/api/policies/:id/backtest', {
    config: { access: 'simulate', expensive: true },
    schema: { tags: ['policies'], params: idParam, body: ref('backtestRequest'), response: { 200: ref('backtestResponse') } },
  }, async (req) => {
    const named = req.body.yaml === undefined ? await publishedDraft(app.store, app.registry, req.params.id) : undefined;
    const policy = named?.policy ?? loadDraft(req.params.id, req.body.yaml!);
    return backtestDraft(app.store, { registry: app.registry, metrics: app.plugins.metrics, host: app.host }, policy, {
      from: parseInstant(req.body.from, 'from'),
      to: parseInstant(req.body.to, 'to'),
      ...(req.body.cycle ? { cycle: req.body.cycle } : {}),
      against: req.body.against ?? 'published',
      ...(named ? { draftVersion: named.version } : {}),
      fairness: (population, selected) => fairnessFor(app.config, population, selected),
    });
  });
}
