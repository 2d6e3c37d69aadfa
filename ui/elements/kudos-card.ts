// One kudos as a card: whom it thanks, from whom (a colleague, or a customer's compliment), the
// value it names, its message and the day, in the viewer's time zone.
import { html, type TemplateResult } from 'lit';
import type { Kudos } from '../api/types.ts';
import { formatDateTime } from '../lib/format.ts';
import { kudosFrom, kudosMessage } from '../lib/kudos-words.ts';

export function kudosCard(k: Kudos): TemplateResult {
  return html`<article class="kudos ${k.source}" aria-label="Kudos for ${k.receiverName ?? k.receiverId}">
    <div class="who">${k.receiverName ?? k.receiverId}</div>
    <div class="small from">${kudosFrom(k)}${k.value ? html` · <span class="badge neutral">${k.value}</span>` : ''}</div>
    <p class=${k.message === null ? 'muted small' : ''}>${kudosMessage(k)}</p>
    <div class="small muted">${formatDateTime(k.givenAt)}</div>
  </article>`;
}

export const KUDOS_CSS = `
  .kudos-wall { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 14rem), 1fr)); gap: 0.75rem; }
  .kudos { background: #fff8c5; border: 1px solid #eac54f; border-radius: 10px; padding: 0.75rem; }
  .kudos.customer { background: #ddf4ff; border-color: #54aeff; }
  .kudos .who { font-weight: 700; }
  .kudos p { margin: 0.4rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
`;
