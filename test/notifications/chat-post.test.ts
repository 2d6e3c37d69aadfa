// Delivery to a real local HTTP receiver that answers as Slack's incoming webhooks and Teams'
// Workflows webhooks document: each answer gives the outcome the outbox records (delivered,
// failed and retried, refused and dead at once, may have been posted), and the webhook URL, a
// credential, appears in no error message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import type { NotificationMessage } from '../../core/notifications/message.ts';
import { postChat, type ChatTarget } from '../../core/notifications/chat/post.ts';
import { outcomeOf, describeError } from '../../core/workflows/outcome.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/chat/${name}`, import.meta.url), 'utf8'));
const validSlack = ajv.compile(schema('slack-incoming-webhook.schema.json'));
const validTeams = ajv.compile(schema('teams-adaptive-card-message.schema.json'));

type Behaviour = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const answer = (status: number, body = '', headers: Record<string, string> = {}): Behaviour => (_req, res) => {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers });
  res.end(body);
};

let server: Server;
let base: string;
const received: Array<{ path: string; contentType?: string; body: string }> = [];
// Each webhook's last path segment is its secret, as in Slack's /services/T…/B…/<secret>.
const behaviours = new Map<string, Behaviour>();
const hanging = new Set<ServerResponse>();

function webhook(behaviour: Behaviour): string {
  const secret = randomBytes(12).toString('hex');
  behaviours.set(secret, behaviour);
  return `${base}/services/T0APPRAISE/B0TEST/${secret}`;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url!, contentType: req.headers['content-type'], body });
      const secret = req.url!.split('/').at(-1)!;
      const b = behaviours.get(secret);
      if (!b) return answer(404, 'no_service')(req, res, body);
      b(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of hanging) res.destroy();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const message: NotificationMessage = {
  event: 'pip.proposed',
  title: 'A performance improvement plan is proposed for Dana Reyes',
  text: 'Approve or reject it in Appraise.',
  facts: [{ label: 'Policy', value: 'Support agents quarterly review' }],
  link: { label: 'Open the case', url: 'https://appraise.example.com/cases/42' },
  idempotencyKey: 'case-42:pip.proposed:slack.post',
};

/** The error postChat ends with, checked to name the channel and never show the URL or its secret. */
async function failure(channel: ChatTarget, timeoutMs = 5000): Promise<{ error: unknown; message: string }> {
  let error: unknown;
  try {
    await postChat(channel, message, { timeoutMs });
  } catch (e) {
    error = e;
  }
  expect(error, 'postChat should have failed').toBeDefined();
  const text = describeError(error, outcomeOf(error));
  const secret = channel.url.split('/').at(-1)!;
  expect(text).not.toContain(channel.url);
  expect(text).not.toContain(secret);
  expect(text).not.toContain('/services/T0APPRAISE');
  if (channel.name) expect(text).toContain(`\`${channel.name}\``);
  return { error, message: text };
}

describe('Slack', () => {
  const slack = (behaviour: Behaviour): ChatTarget => ({ type: 'slack', name: 'hr-alerts', url: webhook(behaviour) });

  it('is delivered when Slack answers 200 ok, with the Block Kit body as JSON', async () => {
    const channel = slack(answer(200, 'ok'));
    await postChat({ ...channel, title: 'Appraise' }, message, { timeoutMs: 5000 });
    const got = received.find((r) => channel.url.endsWith(r.path))!;
    expect(got.contentType).toMatch(/^application\/json/);
    const body = JSON.parse(got.body);
    expect(validSlack(body)).toBe(true);
    expect(body.blocks[0].text.text).toBe(message.title);
  });

  it('refuses for good, telling the admin to replace the webhook, when it was removed (404 no_service) or its channel archived (410)', async () => {
    for (const [status, body] of [[404, 'no_service'], [410, 'channel_is_archived'], [403, 'invalid_token']] as const) {
      const { error, message: text } = await failure(slack(answer(status, body)));
      expect(outcomeOf(error)).toBe('refused');
      expect(text).toMatch(/^APPRAISE_CHAT_WEBHOOK_INVALID: /);
      expect(text).toContain(`answered ${status} \`${body}\``);
      expect(text).toContain('Create a new incoming webhook in Slack and put its URL where chat.channels.hr-alerts.webhook points');
    }
  });

  it('refuses for good a payload Slack calls invalid', async () => {
    const { error, message: text } = await failure(slack(answer(400, 'invalid_payload')));
    expect(outcomeOf(error)).toBe('refused');
    expect(text).toMatch(/^APPRAISE_CHAT_PAYLOAD_REFUSED: the Slack channel `hr-alerts` answered 400 `invalid_payload`/);
  });

  it('fails and is retried on 429, saying how long Slack asked to wait', async () => {
    const { error, message: text } = await failure(slack(answer(429, 'rate_limited', { 'retry-after': '30' })));
    expect(outcomeOf(error)).toBe('failed');
    expect(text).toMatch(/^APPRAISE_CHAT_RATE_LIMITED: /);
    expect(text).toContain('wait 30 s (Retry-After)');
  });

  it('fails and is retried on a server error, or a 200 that is not ok', async () => {
    const a = await failure(slack(answer(500, 'rollup_error')));
    expect(outcomeOf(a.error)).toBe('failed');
    expect(a.message).toMatch(/^APPRAISE_CHAT_DELIVERY_FAILED: the Slack channel `hr-alerts` answered 500 `rollup_error`/);
    const b = await failure(slack(answer(200, 'maybe')));
    expect(outcomeOf(b.error)).toBe('failed');
  });

  it('may have been posted when Slack takes the request and never answers', async () => {
    const { error, message: text } = await failure(slack((_req, res) => void hanging.add(res)), 300);
    expect(outcomeOf(error)).toBe('unknown');
    expect(text).toMatch(/^APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: the Slack channel `hr-alerts` got no answer within 300 ms/);
  });

  it('fails, not delivered, when nothing listens at the address', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { error, message: text } = await failure({ type: 'slack', name: 'hr-alerts', url: `http://127.0.0.1:${port}/services/T0APPRAISE/B0TEST/${randomBytes(12).toString('hex')}` });
    expect(outcomeOf(error)).toBe('failed');
    expect(text).toMatch(/^APPRAISE_CHAT_UNREACHABLE: the Slack channel `hr-alerts` could not be reached/);
  });

  it('never repeats the URL, even when the receiver echoes it', async () => {
    let url = '';
    url = webhook((_req, res) => answer(500, `upstream error posting to ${url}`)(_req, res, ''));
    const { message: text } = await failure({ type: 'slack', name: 'hr-alerts', url });
    expect(text).toContain('answered 500');
  });
});

describe('Teams', () => {
  const teams = (behaviour: Behaviour): ChatTarget => ({ type: 'teams', name: 'support-leads', url: webhook(behaviour) });

  it('is delivered when the Workflows webhook answers 202, or 200, with the Adaptive Card body', async () => {
    for (const status of [202, 200]) {
      const channel = teams(answer(status));
      await postChat(channel, message, { timeoutMs: 5000 });
      const body = JSON.parse(received.find((r) => channel.url.endsWith(r.path))!.body);
      expect(validTeams(body)).toBe(true);
      expect(body.attachments[0].content.body[0].text).toBe(message.title);
    }
  });

  it('refuses for good a message Teams answers 400 to', async () => {
    const { error, message: text } = await failure(teams(answer(400, 'Bad Request')));
    expect(outcomeOf(error)).toBe('refused');
    expect(text).toMatch(/^APPRAISE_CHAT_PAYLOAD_REFUSED: the Teams channel `support-leads` answered 400/);
  });

  it('refuses for good a deleted workflow (404), telling the admin to replace the webhook', async () => {
    const { error, message: text } = await failure(teams(answer(404, '{"error":{"code":"WorkflowNotFound"}}')));
    expect(outcomeOf(error)).toBe('refused');
    expect(text).toContain('Create a new Workflows webhook in Teams and put its URL where chat.channels.support-leads.webhook points');
  });

  it('fails and is retried on 429 and on a server error', async () => {
    const a = await failure(teams(answer(429, '', { 'retry-after': '2' })));
    expect(outcomeOf(a.error)).toBe('failed');
    expect(a.message).toContain('wait 2 s');
    const b = await failure(teams(answer(503)));
    expect(outcomeOf(b.error)).toBe('failed');
  });

  it('may have been posted when the connection drops after the request was sent', async () => {
    const { error, message: text } = await failure(teams((req) => req.socket.destroy()));
    expect(outcomeOf(error)).toBe('unknown');
    expect(text).toMatch(/^APPRAISE_WORKFLOW_OUTCOME_UNKNOWN: the connection to the Teams channel `support-leads` was lost after sending/);
  });
});

describe('the outcome read from the message alone', () => {
  it('is refused for the codes of permanent refusals, as it would be after crossing a thread', () => {
    for (const code of ['APPRAISE_CHAT_WEBHOOK_INVALID', 'APPRAISE_CHAT_PAYLOAD_REFUSED', 'APPRAISE_CHAT_UNKNOWN_CHANNEL', 'APPRAISE_CHAT_CHANNEL_TYPE_MISMATCH', 'APPRAISE_CHAT_NO_CHANNEL']) {
      expect(outcomeOf(new Error(`${code}: …`))).toBe('refused');
    }
    for (const code of ['APPRAISE_CHAT_RATE_LIMITED', 'APPRAISE_CHAT_DELIVERY_FAILED', 'APPRAISE_CHAT_UNREACHABLE']) {
      expect(outcomeOf(new Error(`${code}: …`))).toBe('failed');
    }
  });
});
