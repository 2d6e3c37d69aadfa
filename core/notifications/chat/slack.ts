// A NotificationMessage as the body of a Slack incoming webhook (Slack: "Sending messages using
// incoming webhooks"; the blocks of the Block Kit reference: header, section, context, actions).
// Every text from data is escaped as Slack's "Formatting text for app surfaces" asks (&, <, >
// become entities), so a name or a note can never mention `<!channel>`, a user or a hidden link,
// and every text is cut to Block Kit's documented limits with an ellipsis instead of having
// Slack refuse the message (`invalid_blocks`).
import type { NotificationMessage } from '../message.ts';
import { hasText, openableUrl, slackText } from './text.ts';

/** Block Kit's documented limits for the blocks sent here. */
export const SLACK_LIMITS = {
  /** header block: plain_text, at most 150 characters. */
  header: 150,
  /** section block `text`, and any other text object: at most 3000 characters. */
  sectionText: 3000,
  /** section block `fields`: at most 10, each at most 2000 characters. */
  fields: 10,
  fieldText: 2000,
  /** blocks in one message: at most 50. */
  blocks: 50,
  /** context block: at most 10 elements. */
  contextElements: 10,
  /** button element: text at most 75 characters, url at most 3000. */
  buttonText: 75,
  buttonUrl: 3000,
} as const;

/** The top-level `text`: what notifications and screen readers show. Slack cuts at 40,000; kept short. */
const FALLBACK_TEXT = 3000;
/** A fact's label: short, so the value keeps most of a field. */
const FACT_LABEL = 200;

type PlainText = { type: 'plain_text'; text: string };
type Mrkdwn = { type: 'mrkdwn'; text: string };
export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text: Mrkdwn }
  | { type: 'section'; fields: Mrkdwn[] }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'actions'; elements: Array<{ type: 'button'; text: PlainText; url: string; action_id: string }> };

export interface SlackPayload {
  text: string;
  blocks: SlackBlock[];
}

export interface ChatRenderOptions {
  /** The channel's `title` in the config (`chat.channels.<name>.title`): shown small above the message. */
  title?: string;
}

const DEFAULT_HEADER = 'Appraise notice';

export function slackPayload(message: NotificationMessage, options: ChatRenderOptions = {}): SlackPayload {
  const title = hasText(message.title) ? message.title : DEFAULT_HEADER;
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: slackText(title, SLACK_LIMITS.header) } }];
  if (hasText(options.title)) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: slackText(options.title, SLACK_LIMITS.sectionText) }] });
  if (hasText(message.text)) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackText(message.text, SLACK_LIMITS.sectionText) } });

  const tail = linkBlock(message.link);
  // Facts fill the room left; past it, one context line says how many are left out.
  const fields = message.facts.map(factField);
  const room = SLACK_LIMITS.blocks - blocks.length - (tail ? 1 : 0);
  const sections = Math.ceil(fields.length / SLACK_LIMITS.fields);
  const shown = sections <= room ? sections : room - 1;
  for (let i = 0; i < shown; i++) blocks.push({ type: 'section', fields: fields.slice(i * SLACK_LIMITS.fields, (i + 1) * SLACK_LIMITS.fields) });
  if (shown < sections) {
    const left = fields.length - shown * SLACK_LIMITS.fields;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `…and ${left} more ${left === 1 ? 'detail' : 'details'} not shown here.` }] });
  }
  if (tail) blocks.push(tail);

  const fallback = hasText(message.text) ? `${title}\n${message.text}` : title;
  return { text: slackText(fallback, FALLBACK_TEXT), blocks };
}

/** `*Label*` over the value, both escaped; never empty (Slack refuses an empty text object). */
function factField(fact: { label: string; value: string }): Mrkdwn {
  const label = hasText(fact.label) ? `*${slackText(fact.label.trim(), FACT_LABEL)}*` : '';
  const room = SLACK_LIMITS.fieldText - label.length - 1;
  const value = hasText(fact.value) ? slackText(fact.value, room) : '—';
  return { type: 'mrkdwn', text: label ? `${label}\n${value}` : value };
}

/** A button to an absolute link; a relative or overlong one is shown as text, which Slack never makes a link of. */
function linkBlock(link: NotificationMessage['link']): SlackBlock | undefined {
  if (!link || !hasText(link.url)) return undefined;
  const label = hasText(link.label) ? link.label : 'Open in Appraise';
  const url = openableUrl(link.url, SLACK_LIMITS.buttonUrl);
  if (url) return { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: slackText(label, SLACK_LIMITS.buttonText) }, url, action_id: 'open' }] };
  return { type: 'context', elements: [{ type: 'mrkdwn', text: slackText(`${label}: ${link.url}`, SLACK_LIMITS.sectionText) }] };
}
