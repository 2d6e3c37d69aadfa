// How errors leave the server: `{error: {code, message, requestId, details?}}` with the status
// of the code, never a stack trace. The request id is in the body and in the log line, so that
// "it was logged" can be followed up; anything unexpected is logged in full and answered 500.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../diagnostics/codes.ts';
import { AppraiseError } from '../diagnostics/diagnostic.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  APPRAISE_API_UNAUTHORIZED: 401,
  APPRAISE_TOKEN_EXPIRED: 401,
  APPRAISE_API_FORBIDDEN: 403,
  APPRAISE_REVIEW_FORBIDDEN: 403,
  APPRAISE_CASE_FORBIDDEN: 403,
  APPRAISE_POLICY_OWN_PROPOSAL: 403,
  APPRAISE_GOAL_FORBIDDEN: 403,
  APPRAISE_GOAL_NOT_FOUND: 404,
  APPRAISE_GOAL_ILLEGAL_TRANSITION: 409,
  APPRAISE_DISPUTE_FORBIDDEN: 403,
  APPRAISE_DISPUTE_NOT_FOUND: 404,
  APPRAISE_DISPUTE_ALREADY_OPEN: 409,
  APPRAISE_DISPUTE_CLOSED: 409,
  APPRAISE_DISPUTE_NOT_DISPUTABLE: 409,
  APPRAISE_API_NOT_FOUND: 404,
  APPRAISE_SOURCE_NOT_CONFIGURED: 404,
  APPRAISE_SOURCE_SYNC_IN_PROGRESS: 409,
  APPRAISE_SOURCE_UNKNOWN: 409,
  APPRAISE_SOURCE_UNAVAILABLE: 409,
  APPRAISE_NOTIFY_NOT_FOUND: 404,
  APPRAISE_NOTIFY_UNKNOWN_TEMPLATE: 404,
  APPRAISE_NOTIFY_NOT_CONFIGURED: 409,
  APPRAISE_NOTIFY_SEND_FAILED: 502,
  APPRAISE_REVIEW_NOT_FOUND: 404,
  APPRAISE_REVIEW_CYCLE_NOT_FOUND: 404,
  APPRAISE_REVIEW_TEMPLATE_NOT_FOUND: 404,
  APPRAISE_CASE_NOT_FOUND: 404,
  APPRAISE_EMPLOYEE_NOT_FOUND: 404,
  APPRAISE_GROUP_NOT_FOUND: 404,
  APPRAISE_POLICY_NOT_FOUND: 404,
  APPRAISE_FAIRNESS_UNKNOWN_POLICY: 404,
  APPRAISE_NOTICE_NOT_IN_FORCE: 404,
  APPRAISE_OUTBOX_NOT_FOUND: 404,
  APPRAISE_TOKEN_NOT_FOUND: 404,
  APPRAISE_CASE_ILLEGAL_TRANSITION: 409,
  APPRAISE_REVIEW_NOT_ASSESSED: 409,
  APPRAISE_REVIEW_ILLEGAL_TRANSITION: 409,
  APPRAISE_REVIEW_CYCLE_EXISTS: 409,
  APPRAISE_CASE_PIP_IN_FORCE: 409,
  APPRAISE_CASE_PLAN_INCOMPLETE: 409,
  APPRAISE_POLICY_STALE_VERSION: 409,
  APPRAISE_POLICY_NOT_PROPOSED: 409,
  APPRAISE_API_TOO_LARGE: 413,
  APPRAISE_POLICY_INVALID: 422,
  APPRAISE_REVIEW_TEMPLATE_INVALID: 422,
  APPRAISE_IMPORT_INVALID_ROW: 422,
  APPRAISE_IMPORT_UNKNOWN_EMPLOYEE: 422,
  APPRAISE_IMPORT_DUPLICATE_EMPLOYEE: 422,
  APPRAISE_IMPORT_UNSTORABLE_TEXT: 422,
  APPRAISE_IMPORT_OVER_LIMIT: 422,
  APPRAISE_IMPORT_UNKNOWN_KIND: 404,
  APPRAISE_API_RATE_LIMITED: 429,
  APPRAISE_API_TOO_MANY_REQUESTS: 429,
  APPRAISE_FEEDBACK_NO_EMPLOYEE: 403,
  APPRAISE_FEEDBACK_FORBIDDEN: 403,
  APPRAISE_FEEDBACK_NOT_FOUND: 404,
  APPRAISE_FEEDBACK_ANONYMITY_UNAVAILABLE: 422,
  APPRAISE_FEEDBACK_ALREADY_KUDOS: 409,
  APPRAISE_FEEDBACK_NO_COMMENT: 422,
  APPRAISE_FEEDBACK_NO_MANAGER: 422,
  APPRAISE_FEEDBACK_ILLEGAL_TRANSITION: 409,
  APPRAISE_API_INTERNAL: 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 400;
}

export function sendError(req: FastifyRequest, reply: FastifyReply, e: AppraiseError): FastifyReply {
  const details = { ...e.details };
  const retryAfter = details.retryAfterSeconds;
  if (typeof retryAfter === 'number' && !reply.hasHeader('retry-after')) reply.header('retry-after', String(retryAfter));
  return reply
    .header('x-request-id', req.id)
    .code(statusOf(e.code))
    .type('application/json')
    .send({ error: { code: e.code, message: e.message, requestId: req.id, ...(Object.keys(details).length ? { details } : {}) } });
}

type FastifyFailure = {
  validation?: Array<{ instancePath: string; message?: string; params?: Record<string, unknown> }>;
  validationContext?: string;
  statusCode?: number;
  code?: string;
  message: string;
};

/** fastify's own 4xx errors (validation, content type, size) in Appraise's words. */
function fromFastify(e: FastifyFailure, req: FastifyRequest): AppraiseError | undefined {
  if (e.validation) {
    const first = e.validation[0];
    const where = `${e.validationContext ?? 'body'}${first?.instancePath ? first.instancePath.replace(/\//g, '.') : ''}`;
    // Name what is allowed: "must be equal to one of the allowed values" alone leaves the caller guessing.
    const extra = first?.params?.additionalProperty ? ` \`${String(first.params.additionalProperty)}\`` : first?.params?.missingProperty ? ` \`${String(first.params.missingProperty)}\``
      : Array.isArray(first?.params?.allowedValues) ? `: ${(first.params.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}` : '';
    return new AppraiseError('APPRAISE_API_BAD_REQUEST', `${where} ${first?.message ?? 'is invalid'}${extra}.`, { errors: e.validation.slice(0, 10).map((v) => ({ path: v.instancePath, message: v.message })) });
  }
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppraiseError('APPRAISE_API_BAD_REQUEST', `Unsupported Content-Type \`${String(req.headers['content-type'] ?? 'none').slice(0, 100)}\`: send application/json (imports: text/csv, text/tab-separated-values or application/x-ndjson).`);
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return new AppraiseError('APPRAISE_API_TOO_LARGE', 'The request body is too large.');
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new AppraiseError('APPRAISE_API_BAD_REQUEST', `${e.message.replace(/^Body /, 'The body ')}.`.replace(/\.\.$/, '.'));
  }
  return undefined;
}

export function registerErrorHandling(server: FastifyInstance): void {
  server.setErrorHandler((error, req, reply) => {
    if (error instanceof AppraiseError) {
      if (statusOf(error.code) >= 500) req.log.error({ err: error }, error.message);
      return sendError(req, reply, error);
    }
    const known = fromFastify(error as FastifyFailure, req);
    if (known) return sendError(req, reply, known);
    req.log.error({ err: error }, 'unexpected error');
    return sendError(req, reply, new AppraiseError('APPRAISE_API_INTERNAL', `An unexpected error occurred; it was logged with request id ${req.id}. Nothing was changed.`));
  });
  server.setNotFoundHandler((req, reply) => {
    return sendError(req, reply, new AppraiseError('APPRAISE_API_NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0].slice(0, 200)}.`));
  });
}
