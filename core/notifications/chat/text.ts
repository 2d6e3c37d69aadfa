// Text from data (names, notes, policy titles) made safe to put in a chat message: control
// characters removed, cut to a receiver's documented limit with an ellipsis (never by failing),
// and for Slack its three control characters escaped. Lengths are counted in UTF-16 code units,
// which is never less than what Slack or ajv count (characters), and cuts fall between code
// points, never inside an emoji's surrogate pair or inside an escape such as `&amp;`.

export const ELLIPSIS = '…';

/**
 * The text without C0/C1 control characters other than line breaks and tabs, with `\r\n` and
 * lone `\r` turned into `\n`, and lone surrogates (not text) dropped. Receivers either reject
 * control characters or show them as boxes; a NUL can cut a message short.
 */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

/**
 * `text` cut to at most `max` UTF-16 code units once each code point is passed through `encode`
 * (the identity, or Slack's escaping), ending with an ellipsis when anything was cut.
 */
export function fit(text: string, max: number, encode: (cp: string) => string = (c) => c): string {
  let out = '';
  const points = Array.from(text);
  let i = 0;
  for (; i < points.length; i++) {
    const piece = encode(points[i]!);
    if (out.length + piece.length > max) break;
    out += piece;
  }
  if (i === points.length) return out;
  // Make room for the ellipsis by dropping whole pieces from the end.
  const pieces = points.slice(0, i).map(encode);
  while (pieces.length && pieces.join('').length + ELLIPSIS.length > max) pieces.pop();
  return pieces.join('').trimEnd() + ELLIPSIS;
}

/** Slack's control characters as the entities its formatting reference asks for. */
export function escapeSlackChar(cp: string): string {
  return cp === '&' ? '&amp;' : cp === '<' ? '&lt;' : cp === '>' ? '&gt;' : cp;
}

/** Data text for a Slack text object: cleaned, escaped, and within `max` characters. */
export function slackText(text: string, max: number): string {
  return fit(cleanText(text), max, escapeSlackChar);
}

/** Data text for a plain field of another receiver: cleaned and within `max` characters. */
export function plainText(text: string, max: number): string {
  return fit(cleanText(text), max);
}

/** True when the text has something to show besides white space. */
export function hasText(text: string | undefined): text is string {
  return typeof text === 'string' && cleanText(text).trim().length > 0;
}

/** An absolute http(s) URL a button may open, or undefined (a relative or odd link is shown as text). */
export function openableUrl(url: string | undefined, max: number): string | undefined {
  if (!url || url.length > max) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    return u.href.length <= max ? u.href : undefined;
  } catch {
    return undefined;
  }
}
