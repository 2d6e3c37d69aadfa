// The admin API server (fastify). Each /api route declares who may call it (access.ts); route
// schemas come from schemas/api.schema.json, so validation and the OpenAPI document share one
// source. Errors are `{error: {code, message, requestId, details}}` with a 4xx for bad input
// (errors.ts): never a stack trace, never a crash.
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import type { Appraise } from '../app/appraise.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';
import { SCHEMA_DIR } from '../policy/schema-check.ts';
import { describeUnstorable, findUnstorableIn } from '../util/storable-text.ts';
import { registerAccessControl } from './access.ts';
import { registerErrorHandling, sendError } from './errors.ts';
import { DEFAULT_LIMITS, registerLimits, type ExpensiveLimits } from './limits.ts';
import { registerPolicyRoutes } from './routes/policies.ts';
import { registerRunRoutes } from './routes/runs.ts';
import { registerFairnessRoutes } from './routes/fairness.ts';
import { registerCaseRoutes } from './routes/cases.ts';
import { registerEmployeeRoutes } from './routes/employees.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerImportRoutes } from './routes/imports.ts';
import { registerDashboardRoutes } from './routes/dashboard.ts';
import { defaultCacheControl, registerCompression } from './transfer.ts';
import { hasSecrets, redactSecrets } from '../config/secrets.ts';
import { registerTokenRoutes } from './routes/tokens.ts';
import { registerFeedbackRoutes } from './routes/feedback.ts';
import { registerReviewRoutes } from './routes/reviews.ts';
import { registerGoalRoutes } from './routes/goals.ts';
import { registerDisputeRoutes } from './routes/disputes.ts';
import { registerSubjectAccessRoutes } from './routes/subject-access.ts';
import { registerSourceRoutes } from './routes/sources.ts';
import { registerNotificationRoutes } from './routes/notifications.ts';
import { registerNoticeRoutes } from './routes/notices.ts';
import { registerUi } from './ui.ts';

export interface ServerOptions {
  /**
   * Structured request logs (pino): false for none, or where to write them. A 500's request id
   * is in its response body and in the log line that holds the error.
   */
  logger?: false | { file: string; level?: string } | { stream: NodeJS.WritableStream; level?: string };
  /** Serve the built admin UI from this folder at `/`. */
  uiDir?: string;
  bodyLimit?: number;
  limits?: Partial<ExpensiveLimits>;
  /** How long /api/health waits for the store before saying it is busy. */
  healthTimeoutMs?: number;
}

export const API_SCHEMA_ID = 'https://appraise.dev/schemas/api.schema.json';
export const ref = (name: string) => ({ $ref: `${API_SCHEMA_ID}#/$defs/${name}` });

/** Logs never hold a token: the Authorization header and cookies are redacted wherever they appear. */
const REDACT = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'authorization'];

function loggerOption(o: ServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!o) return false;
  const target = 'file' in o ? createWriteStream(o.file, { flags: 'a' }) : o.stream;
  // Every line passes through the credential redaction too (core/config/secrets.ts).
  const stream = { write: (line: string) => target.write(hasSecrets() ? redactSecrets(line) : line) };
  return { level: o.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' }, stream };
}

export async function buildServer(app: Appraise, options: ServerOptions = {}): Promise<FastifyInstance> {
  const server = Fastify({
    logger: loggerOption(options.logger),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } },
    trustProxy: false,
    // Ours, random: a client cannot choose the id that its error is logged under.
    genReqId: () => `req-${randomBytes(6).toString('hex')}`,
    requestIdHeader: false,
    // A malformed URL (`/%zz`) or header is a coded 400 like any other bad input.
    frameworkErrors: (error, req, reply) => sendError(req, reply, new AppraiseError('APPRAISE_API_BAD_REQUEST', `The request could not be read: ${error.message}.`)),
  });

  // First: it compresses the responses of the routes declared after it.
  await registerCompression(server);
  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Appraise admin API', version: '1.0.0', description: 'Policies, simulations with fairness reports, runs, cases, employees and plugins. Every route but /api/health needs `Authorization: Bearer <token>` (`npx appraise token create`).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  // fastify's ajv speaks draft-07; the definitions use nothing beyond it, so the 2020-12 marker
  // (kept for editors) is dropped here.
  const { $schema: _draft, ...apiSchema } = JSON.parse(readFileSync(`${SCHEMA_DIR}api.schema.json`, 'utf8'));
  server.addSchema(apiSchema);

  // Security headers on every response; the request id, so a user can quote it; no caching of
  // what did not ask for it (API responses carry one user's data).
  server.addHook('onSend', async (req, reply, payload) => {
    reply.header('x-request-id', req.id);
    defaultCacheControl(reply);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
    reply.header('cross-origin-opener-policy', 'same-origin');
    // No answer carries a credential, whatever put it there (an error echoing a vendor's reply).
    return typeof payload === 'string' && hasSecrets() ? redactSecrets(payload) : payload;
  });

  registerErrorHandling(server);
  registerAccessControl(server, app);
  await registerLimits(server, { ...DEFAULT_LIMITS, ...app.config.server.limits, ...options.limits });

  // Text the store cannot keep is refused where it enters, naming the field.
  server.addHook('preValidation', async (req) => {
    for (const [part, value] of [['params', req.params], ['query', req.query], ['body', typeof req.body === 'object' ? req.body : undefined]] as const) {
      const hit = value === undefined ? undefined : findUnstorableIn(value);
      if (hit) {
        const field = `${part}${hit.path ? `.${hit.path}` : ''}`;
        throw new AppraiseError('APPRAISE_INPUT_UNSTORABLE_TEXT', describeUnstorable(field, hit.char, hit.char.line > 1 || /yaml/i.test(hit.path)), { field });
      }
    }
  });

  const healthTimeoutMs = options.healthTimeoutMs ?? 1000;
  server.get('/api/health', { config: { access: 'public' }, schema: { tags: ['health'], security: [], response: { 200: ref('health') } } }, async () => {
    // A busy embedded store answers one query at a time; health says so instead of queueing.
    let timer: NodeJS.Timeout | undefined;
    const store = await Promise.race([
      app.store.query('SELECT 1').then(() => 'ok', () => 'unreachable'),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('busy'), healthTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return {
      status: store === 'unreachable' ? 'degraded' : 'ok',
      store: { kind: app.store.kind, status: store },
      plugins: app.plugins.plugins.map((p) => ({ id: p.id, state: p.state })),
    };
  });
  server.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => server.swagger());
  server.get('/api/me', { config: { access: 'signedIn' }, schema: { tags: ['auth'], response: { 200: ref('principal') } } }, async (req) => req.principal);

  await registerPolicyRoutes(server, app);
  await registerNoticeRoutes(server, app);
  await registerRunRoutes(server, app);
  await registerFairnessRoutes(server, app);
  await registerCaseRoutes(server, app);
  await registerDisputeRoutes(server, app);
  await registerSubjectAccessRoutes(server, app);
  await registerEmployeeRoutes(server, app);
  await registerAdminRoutes(server, app);
  await registerImportRoutes(server, app);
  await registerDashboardRoutes(server, app);
  await registerTokenRoutes(server, app);
  await registerFeedbackRoutes(server, app);
  await registerReviewRoutes(server, app);
  await registerGoalRoutes(server, app);
  await registerSourceRoutes(server, app);
  await registerNotificationRoutes(server, app);
  if (options.uiDir) await registerUi(server, options.uiDir);
  return server;
}
