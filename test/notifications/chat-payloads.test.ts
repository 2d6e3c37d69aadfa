// The bodies posted to Slack and Teams, checked against the documented shapes of
// test/fixtures/chat (Block Kit limits and escaping; the Teams message with an Adaptive Card),
// for ordinary notices and for any message fast-check can think of.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { NotificationMessage } from '../../core/notifications/message.ts';
import { slackPayload, SLACK_LIMITS } from '../../core/notifications/chat/slack.ts';
import { teamsPayload, TEAMS_MAX_BYTES } from '../../core/notifications/chat/teams.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/chat/${name}`, import.meta.url), 'utf8'));
const validSlack = ajv.compile(schema('slack-incoming-webhook.schema.json'));
const validTeams = ajv.compile(schema('teams-adaptive-card-message.schema.json'));

function expectValid(validate: typeof validSlack, payload: unknown): void {
  const ok = validate(payload);
  expect(ok ? [] : validate.errors!.slice(0, 5).map((e) => `${e.instancePath} ${e.message}`), JSON.stringify(payload).slice(0, 400)).toEqual([]);
}

const pip: NotificationMessage = {
  event: 'pip.proposed',
  title: 'A performance improvement plan is proposed for Dana Reyes',
  text: 'The rule pip-after-coaching of Support agents quarterly review applies.\n\nApprove or reject it in Appraise.',
  facts: [
    { label: 'Policy', value: 'Support agents quarterly review (version 3)' },
    { label: 'CSAT', value: '3.4 (needs 3.6)' },
  ],
  link: { label: 'Open the case', url: 'https://appraise.example.com/cases/42' },
  idempotencyKey: 'case-42:case.opened:slack.post',
};

describe('the documented shapes', () => {
  it('refuse what Slack and Teams would refuse or misread', () => {
    const good = slackPayload(pip);
    expect(validSlack(good)).toBe(true);
    expect(validSlack({ ...good, text: 'Hi <!channel>' })).toBe(false);
    expect(validSlack({ ...good, blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] })).toBe(false);
    expect(validSlack({ ...good, blocks: [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'x' })) }] })).toBe(false);
    expect(validSlack({ ...good, blocks: Array.from({ length: 51 }, () => good.blocks[0]) })).toBe(false);
    const teams = teamsPayload(pip);
    expect(validTeams(teams)).toBe(true);
    expect(validTeams({ ...teams, attachments: [{ ...teams.attachments[0], contentType: 'application/vnd.microsoft.teams.card.o365connector' }] })).toBe(false);
    expect(validTeams({ ...teams, attachments: [{ ...teams.attachments[0], content: { ...teams.attachments[0].content, body: [{ type: 'TextBlock', text: '' }] } }] })).toBe(false);
  });
});

describe('Slack payload', () => {
  it('is a Block Kit message: header, text, facts as fields, a button to the case', () => {
    const p = slackPayload(pip, { title: 'Appraise · Support EMEA' });
    expectValid(validSlack, p);
    expect(p.blocks.map((b) => b.type)).toEqual(['header', 'context', 'section', 'section', 'actions']);
    expect(p.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: pip.title } });
    expect(p.blocks[3]).toEqual({ type: 'section', fields: [{ type: 'mrkdwn', text: '*Policy*\nSupport agents quarterly review (version 3)' }, { type: 'mrkdwn', text: '*CSAT*\n3.4 (needs 3.6)' }] });
    expect(p.blocks[4]).toMatchObject({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the case' }, url: 'https://appraise.example.com/cases/42' }] });
    expect(p.text).toContain(pip.title);
  });

  it('escapes names and notes so they cannot mention the channel or hide a link', () => {
    const p = slackPayload({ ...pip, title: 'Note from <!channel> & <@U123>', text: 'See <https://evil.example|the policy> & <!here>', facts: [{ label: 'Manager <!everyone>', value: 'A & B <b>' }] });
    expectValid(validSlack, p);
    const json = JSON.stringify(p);
    expect(json).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U123>|<https:/);
    expect(p.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Note from &lt;!channel&gt; &amp; &lt;@U123&gt;' } });
    expect(p.blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: 'See &lt;https://evil.example|the policy&gt; &amp; &lt;!here&gt;' } });
  });

  it('cuts long texts to the documented limits with an ellipsis, whole entities and emoji only', () => {
    const p = slackPayload({ ...pip, title: '😀&'.repeat(100), text: '<'.repeat(5000) });
    expectValid(validSlack, p);
    const header = (p.blocks[0] as { text: { text: string } }).text.text;
    expect(header.length).toBeLessThanOrEqual(SLACK_LIMITS.header);
    expect(header.endsWith('…')).toBe(true);
    expect(header).toMatch(/^(😀&amp;)+(😀)?…$/);
    const text = (p.blocks[1] as { text: { text: string } }).text.text;
    expect(text).toMatch(/^(&lt;)+…$/);
    expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  });

  it('shows many facts ten to a section, and says how many did not fit in 50 blocks', () => {
    const facts = Array.from({ length: 1000 }, (_, i) => ({ label: `Fact ${i}`, value: String(i) }));
    const p = slackPayload({ ...pip, facts });
    expectValid(validSlack, p);
    expect(p.blocks).toHaveLength(SLACK_LIMITS.blocks);
    const note = p.blocks[p.blocks.length - 2] as { type: string; elements: Array<{ text: string }> };
    expect(note.type).toBe('context');
    const shown = p.blocks.filter((b) => 'fields' in b).length * 10;
    expect(note.elements[0]!.text).toBe(`…and ${1000 - shown} more details not shown here.`);
  });

  it('shows a link that is not absolute as text instead of a button', () => {
    const p = slackPayload({ ...pip, link: { label: 'Open', url: '/cases/42' } });
    expectValid(validSlack, p);
    expect(p.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'Open: /cases/42' }] });
  });
});

describe('Teams payload', () => {
  it('is a message with one Adaptive Card 1.4: title, text, facts, an Open button', () => {
    const p = teamsPayload(pip, { title: 'Appraise' });
    expectValid(validTeams, p);
    const card = p.attachments[0].content;
    expect(card.version).toBe('1.4');
    expect(card.body).toEqual([
      { type: 'TextBlock', text: 'Appraise', wrap: true, size: 'Small', isSubtle: true },
      { type: 'TextBlock', text: pip.title, wrap: true, size: 'Large', weight: 'Bolder' },
      { type: 'TextBlock', text: pip.text, wrap: true },
      { type: 'FactSet', facts: [{ title: 'Policy', value: 'Support agents quarterly review (version 3)' }, { title: 'CSAT', value: '3.4 (needs 3.6)' }] },
    ]);
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the case', url: 'https://appraise.example.com/cases/42' }]);
  });

  it('keeps a Markdown link in a note from becoming a link', () => {
    const p = teamsPayload({ ...pip, text: 'Read [the policy](https://evil.example)' });
    expect(JSON.stringify(p)).not.toContain('](https://evil.example)');
  });

  it('stays under the 28 KB Teams accepts, however long the texts and however many facts', () => {
    const p = teamsPayload({ ...pip, text: '€'.repeat(30_000), facts: Array.from({ length: 200 }, (_, i) => ({ label: `Fact ${i}`, value: '😀'.repeat(2000) })) });
    expectValid(validTeams, p);
    expect(Buffer.byteLength(JSON.stringify(p))).toBeLessThanOrEqual(TEAMS_MAX_BYTES);
    const facts = p.attachments[0].content.body.find((b) => b.type === 'FactSet') as { facts: Array<{ title: string; value: string }> };
    expect(facts.facts.at(-1)!.title).toBe('…');
    expect(facts.facts.at(-1)!.value).toMatch(/^and \d+ more details not shown here$/);
  });
});

// Any text: full Unicode (emoji, lone surrogates, control characters) and the characters that matter.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.string({ unit: fc.constantFrom('<', '>', '&', '!', '@', '|', '*', '[', ']', '(', ')', ' ', '\n', '\r', '\u0000', '😀', 'é', 'a'), maxLength: 6000 }),
  fc.constantFrom('', ' ', '\n\n', '<!channel>', '&amp;'),
);
const anyMessage: fc.Arbitrary<NotificationMessage> = fc.record({
  event: fc.constantFrom('case.opened', 'pip.proposed'),
  title: anyText,
  text: anyText,
  facts: fc.array(fc.record({ label: anyText, value: anyText }), { maxLength: 600 }),
  link: fc.option(fc.record({ label: anyText, url: fc.oneof(fc.webUrl({ size: 'large' }), anyText) }), { nil: undefined }),
  idempotencyKey: fc.string(),
});

describe('any message', () => {
  it('yields a valid Slack payload with no raw control character, within every limit', () => {
    fc.assert(
      fc.property(anyMessage, fc.option(anyText, { nil: undefined }), (message, title) => {
        const p = slackPayload(message, title === undefined ? {} : { title });
        if (!validSlack(p)) throw new Error(JSON.stringify(validSlack.errors!.slice(0, 3)));
      }),
      { numRuns: 150 },
    );
  });

  it('yields a valid Teams payload of at most 28 KB', () => {
    fc.assert(
      fc.property(anyMessage, fc.option(anyText, { nil: undefined }), (message, title) => {
        const p = teamsPayload(message, title === undefined ? {} : { title });
        if (!validTeams(p)) throw new Error(JSON.stringify(validTeams.errors!.slice(0, 3)));
        if (Buffer.byteLength(JSON.stringify(p)) > TEAMS_MAX_BYTES) throw new Error('too large');
      }),
      { numRuns: 150 },
    );
  });
});
