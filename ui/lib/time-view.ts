// Instants on screen: in the viewer's time zone, each a <time> whose hover title is the exact
// UTC instant (the engine stores and compares in UTC), so a reader can always check it.
import { html, type TemplateResult } from 'lit';
import { exactUtc, formatDate, formatDateTime, formatWhen } from './format.ts';

function view(iso: string | null | undefined, text: string): TemplateResult | string {
  if (!iso || Number.isNaN(new Date(iso).getTime())) return text;
  return html`<time datetime=${new Date(iso).toISOString()} title=${exactUtc(iso)}>${text}</time>`;
}

/** A date and time in the viewer's zone: `10 Dec 2026, 11:00 CET`. */
export const dateTimeView = (iso: string | null | undefined) => view(iso, formatDateTime(iso));

/** A calendar day (UTC): `10 Dec 2026`. */
export const dateView = (iso: string | null | undefined) => view(iso, formatDate(iso));

/** A day when the instant is a day boundary, else a date and time (as-of instants). */
export const whenView = (iso: string | null | undefined) => view(iso, formatWhen(iso));
