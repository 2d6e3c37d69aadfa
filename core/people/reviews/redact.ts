// A packet as a viewer gets it: the measures and counts, none of the customers' words.
import type { Packet } from './packet.ts';
import type { VerbatimData } from './sections/verbatims.ts';

export function withoutVerbatimText(p: Packet): Packet {
  return {
    ...p,
    sections: p.sections.map((s) => (s.id === 'verbatims' && s.data
      ? { ...s, data: { ...(s.data as VerbatimData), comments: (s.data as VerbatimData).comments.map((c) => ({ ...c, comment: '' })) } }
      : s)),
  };
}
