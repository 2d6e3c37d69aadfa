// Small helpers for words shown to people.

/** A title inside a sentence: "First response time" → "first response time", but "CSAT" stays. */
export function inSentence(title: string): string {
  return /^[A-Z][a-z]/.test(title) ? title[0].toLowerCase() + title.slice(1) : title;
}
