// How a kudos is labelled wherever it shows (the wall, the Kudos screen): who it is from in
// plain words, a colleague by name or "a customer", so that a customer's compliment is never
// read as a colleague's.
import type { Kudos } from '../api/types.ts';

export function kudosFrom(k: Kudos): string {
  return k.source === 'customer' ? 'From a customer' : `From ${k.giverName ?? k.giverId ?? 'a colleague'}`;
}

/** The message, or why there is none to show (the viewer role reads no free text). */
export function kudosMessage(k: Kudos): string {
  return k.message ?? 'Message not shown to your role.';
}
