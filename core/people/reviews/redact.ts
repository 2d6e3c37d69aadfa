// A packet as a viewer gets it: the measures and counts, none of the customers' words and no
// kudos messages.
import type { Packet } from './packet.ts';
import type { VerbatimData } from './sections/verbatims.ts';
import type { KudosData } from './sections/kudos.ts';

export function packetForViewer(p: Packet): Packet {
  return {
    ...p,
    sections: p.sections.map((s) => {
      if (!s.data) return s;
      if (s.id === 'verbatims') return { ...s, data: { ...(s.data as VerbatimData), comments: (s.data as VerbatimData).comments.map((c) => ({ ...c, comment: '' })) } };
      if (s.id === 'kudos') return { ...s, data: { ...(s.data as KudosData), kudos: (s.data as KudosData).kudos.map((k) => ({ ...k, message: null })) } };
      return s;
    }),
  };
}
