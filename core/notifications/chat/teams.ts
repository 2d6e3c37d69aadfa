// A NotificationMessage as the body of a Microsoft Teams webhook: a message activity with one
// Adaptive Card attachment, as Microsoft Learn documents for posting through a Workflows webhook
// ("Post a workflow when a webhook request is received in Microsoft Teams", the "Send webhook
// alerts to a channel" template; Workflows accept Adaptive Cards only) and for the retiring
// Incoming Webhook connector ("Create an Incoming Webhook": "Send Adaptive Cards using an
// Incoming Webhook", contentType application/vnd.microsoft.card.adaptive, contentUrl null).
// The card is Adaptive Card schema version 1.4 (TextBlock, FactSet, Action.OpenUrl), the
// version every Teams client renders. Teams refuses a message over 28 KB, so the texts are cut
// until the body fits, with an ellipsis.
import type { NotificationMessage } from '../message.ts';
import type { ChatRenderOptions } from './slack.ts';
import { cleanText, hasText, openableUrl, plainText } from './text.ts';

export const TEAMS_CARD_VERSION = '1.4';
/** "The message size limit is 28 KB" (Microsoft Learn); a margin for the receiver's own wrapping. */
export const TEAMS_MAX_BYTES = 26_000;

type TextBlock = { type: 'TextBlock'; text: string; wrap: true; size?: 'Small' | 'Medium' | 'Large'; weight?: 'Bolder'; isSubtle?: true; spacing?: 'None' | 'Small' };
type FactSet = { type: 'FactSet'; facts: Array<{ title: string; value: string }> };

export interface AdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: typeof TEAMS_CARD_VERSION;
  body: Array<TextBlock | FactSet>;
  actions?: Array<{ type: 'Action.OpenUrl'; title: string; url: string }>;
  msteams: { width: 'Full' };
}

export interface TeamsPayload {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }];
}

interface Limits {
  title: number;
  text: number;
  facts: number;
  factTitle: number;
  factValue: number;
}

const START: Limits = { title: 200, text: 6000, facts: 30, factTitle: 100, factValue: 1000 };
const DEFAULT_TITLE = 'Appraise notice';

export function teamsPayload(message: NotificationMessage, options: ChatRenderOptions = {}): TeamsPayload {
  let limits = START;
  for (;;) {
    const payload = build(message, options, limits);
    if (Buffer.byteLength(JSON.stringify(payload)) <= TEAMS_MAX_BYTES || limits.text < 50) return payload;
    limits = { title: limits.title, text: Math.floor(limits.text / 2), facts: Math.max(5, Math.floor(limits.facts / 2)), factTitle: limits.factTitle, factValue: Math.max(50, Math.floor(limits.factValue / 2)) };
  }
}

function build(message: NotificationMessage, options: ChatRenderOptions, limits: Limits): TeamsPayload {
  const body: AdaptiveCard['body'] = [];
  if (hasText(options.title)) body.push({ type: 'TextBlock', text: md(options.title, 100), wrap: true, size: 'Small', isSubtle: true });
  body.push({ type: 'TextBlock', text: md(hasText(message.title) ? message.title : DEFAULT_TITLE, limits.title), wrap: true, size: 'Large', weight: 'Bolder' });
  if (hasText(message.text)) body.push({ type: 'TextBlock', text: md(message.text, limits.text), wrap: true });
  const facts = message.facts.slice(0, limits.facts).map((f) => ({ title: md(hasText(f.label) ? f.label.trim() : '—', limits.factTitle), value: md(hasText(f.value) ? f.value : '—', limits.factValue) }));
  const left = message.facts.length - facts.length;
  if (left > 0) facts.push({ title: '…', value: `and ${left} more ${left === 1 ? 'detail' : 'details'} not shown here` });
  if (facts.length) body.push({ type: 'FactSet', facts });

  const card: AdaptiveCard = { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: TEAMS_CARD_VERSION, body, msteams: { width: 'Full' } };
  const link = message.link;
  if (link && hasText(link.url)) {
    const label = hasText(link.label) ? link.label : 'Open in Appraise';
    const url = openableUrl(link.url, 2000);
    if (url) card.actions = [{ type: 'Action.OpenUrl', title: plainText(label, 100), url }];
    else body.push({ type: 'TextBlock', text: md(`${label}: ${link.url}`, 500), wrap: true, size: 'Small' });
  }
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

/**
 * Data text for a TextBlock or a fact, which Teams renders as Markdown: a zero-width space
 * between `]` and `(` keeps a name or a note from becoming a link (`[click](https://…)`).
 * Mentions cannot be injected: Teams makes one only from `msteams.entities`, which is never sent.
 */
function md(text: string, max: number): string {
  return plainText(cleanText(text).replace(/\]\(/g, ']\u200b('), max);
}
