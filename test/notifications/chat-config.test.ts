// Chat channels in appraise.config.yaml: checked when the config loads (each problem located,
// a pasted webhook URL never repeated), resolved when a notice is sent, and the slack.post /
// teams.post workflow posting to the channel its settings name, and a policy naming them valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromText, type AppConfig } from '../../core/config/config.ts';
import { chatChannel, postChatWorkflow } from '../../core/notifications/chat/channels.ts';
import { outcomeOf } from '../../core/workflows/outcome.ts';
import type { NotificationMessage } from '../../core/notifications/message.ts';
import { registryFromManifests } from '../../core/plugins/catalogue.ts';
import { loadPolicyText } from '../../core/policy/load.ts';

const load = (text: string, file = 'appraise.config.yaml') => configFromText(file, text);
const errors = (text: string) => load(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);

const CONFIG = `chat:
  channels:
    hr-alerts: { type: slack, webhook: { env: APPRAISE_TEST_SLACK_URL }, title: Appraise }
    support-leads: { type: teams, webhook: { secret: teams-support-leads } }
secrets:
  file: ./secrets.yaml
plugins:
  settings:
    slack: { channel: hr-alerts, timeoutMs: 5000 }
    teams: { channel: support-leads }
`;

describe('chat section of the config', () => {
  it('loads named channels with their webhook references', () => {
    const { config, diagnostics } = load(CONFIG);
    expect(diagnostics).toEqual([]);
    expect(config!.chat!.channels['hr-alerts']).toEqual({ type: 'slack', webhook: { env: 'APPRAISE_TEST_SLACK_URL' }, title: 'Appraise' });
  });

  it('points at a default channel that is not defined, with a suggestion', () => {
    expect(errors(CONFIG.replace('slack: { channel: hr-alerts', 'slack: { channel: hr-alert'))).toEqual([
      "9:23 APPRAISE_CHAT_UNKNOWN_CHANNEL `plugins.settings.slack.channel` names the chat channel `hr-alert`, which is not defined under `chat.channels`. The channels defined are `hr-alerts`, `support-leads`. Did you mean `hr-alerts`?",
    ]);
  });

  it('points at a default channel of the other type', () => {
    expect(errors(CONFIG.replace('teams: { channel: support-leads }', 'teams: { channel: hr-alerts }'))).toEqual([
      '10:23 APPRAISE_CHAT_CHANNEL_TYPE_MISMATCH `plugins.settings.teams.channel` names `hr-alerts`, a slack channel; `teams.post` posts to teams channels only. Name a teams channel.',
    ]);
  });

  it('points at a timeout longer than any plugin call may run', () => {
    expect(errors(CONFIG.replace('timeoutMs: 5000', 'timeoutMs: 60000'))).toEqual([
      '9:45 APPRAISE_WORKFLOW_TIMEOUT_TOO_LONG `plugins.settings.slack.timeoutMs` is 60000 ms, longer than `plugins.timeoutMs` (10000 ms), the longest any workflow attempt may run. Raise `plugins.timeoutMs` to at least 60000, or lower the Slack timeout.',
    ]);
  });

  it('points at a `{ secret }` webhook when no secrets file is named', () => {
    const [e] = errors(CONFIG.replace('secrets:\n  file: ./secrets.yaml\n', ''));
    expect(e).toMatch(/^4:54 APPRAISE_SECRET_MISSING `chat.channels.support-leads.webhook` refers to the secrets file/);
  });

  it('refuses a webhook URL written in the config, without repeating it', () => {
    const url = 'https://hooks.slack.com/services/T0000/B0000/pasted0secret0value';
    const out = errors(CONFIG.replace('{ env: APPRAISE_TEST_SLACK_URL }', `"${url}"`));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^3:40 APPRAISE_SCHEMA_WRONG_TYPE `chat.channels.hr-alerts.webhook` must say where the credential is/);
    expect(out.join('\n')).not.toContain('pasted0secret0value');
  });

  it('refuses an unknown channel type, naming the allowed ones', () => {
    expect(errors(CONFIG.replace('type: teams', 'type: team'))[0]).toContain('must be one of `slack`, `teams`, not `team`');
  });
});

describe('slack.post and teams.post', () => {
  let server: Server;
  let base: string;
  const posted: string[] = [];
  let dir: string;
  let config: AppConfig;
  const message: NotificationMessage = { event: 'case.opened', title: 'Coaching is offered to Sam Lee', text: '', facts: [], idempotencyKey: 'case-7:case.opened:slack.post' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posted.push(`${req.url} ${body}`);
        if (req.url!.startsWith('/slack/')) res.end('ok');
        else { res.statusCode = 202; res.end(); }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'appraise-chat-'));
    writeFileSync(join(dir, 'secrets.yaml'), `teams-support-leads: ${base}/teams/workflows/s3cr3t-teams-sig\n`);
    writeFileSync(join(dir, 'appraise.config.yaml'), CONFIG);
    config = load(CONFIG, join(dir, 'appraise.config.yaml')).config!;
    process.env.APPRAISE_TEST_SLACK_URL = `${base}/slack/services/T0/B0/s3cr3t-slack-path`;
  });

  afterAll(async () => {
    delete process.env.APPRAISE_TEST_SLACK_URL;
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('resolves a channel to its webhook URL when a notice is sent', () => {
    expect(chatChannel(config, 'hr-alerts')).toEqual({ name: 'hr-alerts', type: 'slack', url: `${base}/slack/services/T0/B0/s3cr3t-slack-path`, title: 'Appraise' });
    expect(chatChannel(config, 'support-leads').url).toBe(`${base}/teams/workflows/s3cr3t-teams-sig`);
  });

  it('posts to the default channel of each plugin', async () => {
    await postChatWorkflow(config, 'slack', {}, config.plugins.settings.slack!, message);
    await postChatWorkflow(config, 'teams', {}, config.plugins.settings.teams!, message);
    expect(posted.map((p) => p.split(' ')[0])).toEqual(['/slack/services/T0/B0/s3cr3t-slack-path', '/teams/workflows/s3cr3t-teams-sig']);
    expect(posted[0]).toContain('"text":"Appraise"');
  });

  it('posts to the channel the workflow config names instead', async () => {
    posted.length = 0;
    await postChatWorkflow(config, 'teams', { channel: 'support-leads' }, {}, message);
    expect(posted).toHaveLength(1);
  });

  it('is dead at once, saying where the channel should be defined, for an unknown channel', async () => {
    let error: unknown;
    await postChatWorkflow(config, 'slack', { channel: 'hr' }, config.plugins.settings.slack!, message).catch((e) => (error = e));
    expect(outcomeOf(error)).toBe('refused');
    expect((error as Error).message).toBe(`APPRAISE_CHAT_UNKNOWN_CHANNEL: The workflow config of \`slack.post\` names the chat channel \`hr\`, which is not defined under \`chat.channels\` (${join(dir, 'appraise.config.yaml')}:2:3). The channels defined are \`hr-alerts\`, \`support-leads\`.`);
  });

  it('is dead at once for a channel of the other type, or no channel at all', async () => {
    const a = await postChatWorkflow(config, 'teams', { channel: 'hr-alerts' }, {}, message).catch((e) => e);
    expect(outcomeOf(a)).toBe('refused');
    expect(a.message).toMatch(/^APPRAISE_CHAT_CHANNEL_TYPE_MISMATCH: /);
    const b = await postChatWorkflow(config, 'slack', {}, {}, message).catch((e) => e);
    expect(outcomeOf(b)).toBe('refused');
    expect(b.message).toMatch(/^APPRAISE_CHAT_NO_CHANNEL: `slack.post` has no channel to post to: set `plugins.settings.slack.channel`/);
  });

  it('fails and is retried while the webhook variable is not set, naming the variable and not a URL', async () => {
    const saved = process.env.APPRAISE_TEST_SLACK_URL;
    delete process.env.APPRAISE_TEST_SLACK_URL;
    try {
      const e = await postChatWorkflow(config, 'slack', {}, config.plugins.settings.slack!, message).catch((x) => x);
      expect(outcomeOf(e)).toBe('failed');
      expect(e.message).toContain('chat.channels.hr-alerts.webhook refers to the environment variable APPRAISE_TEST_SLACK_URL, which is not set');
    } finally {
      process.env.APPRAISE_TEST_SLACK_URL = saved;
    }
  });
});

describe('a policy naming the chat workflows', () => {
  it('validates against the built-in plugins', async () => {
    const registry = await registryFromManifests();
    expect(registry.workflows.has('slack.post') && registry.workflows.has('teams.post')).toBe(true);
    const file = new URL('../../rules/support-agents.policy.yaml', import.meta.url).pathname;
    const text = readFileSync(file, 'utf8').replace('        params: { planDays: 60, checkInEveryDays: 14 }\n', '        params: { planDays: 60, checkInEveryDays: 14 }\n        workflows: [slack.post, teams.post]\n');
    expect(text).toContain('workflows: [slack.post, teams.post]');
    const loaded = loadPolicyText(file, text, registry);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const typo = loadPolicyText(file, text.replace('slack.post', 'slack.pots'), registry);
    expect(typo.diagnostics.map((d) => `${d.code} ${d.message}`)).toContain('APPRAISE_POLICY_UNKNOWN_WORKFLOW No plugin contributes the workflow `slack.pots`. Did you mean `slack.post`?');
  });
});
