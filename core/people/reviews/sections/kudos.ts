// Packet section `kudos`: the kudos the employee received in the period, from colleagues and
// from customers' compliments their manager passed on (core/people/feedback), with the counts.
import { kudosForPacket } from '../../feedback/kudos.ts';
import type { Kudos } from '../../feedback/kudos.ts';
import type { PacketSection } from '../packet.ts';

export interface KudosData {
  colleagues: number;
  customers: number;
  kudos: Kudos[];
}

export const kudosSection: PacketSection<KudosData> = {
  id: 'kudos',
  title: 'Kudos received',
  async assemble(ctx) {
    const kudos = await kudosForPacket(ctx.store, ctx.employee.id, ctx.from, ctx.asOf);
    const colleagues = kudos.filter((k) => k.source === 'colleague').length;
    const customers = kudos.length - colleagues;
    const summary = kudos.length
      ? `${kudos.length} kudos in the period: ${colleagues} from colleagues and ${customers} from customers' compliments.`
      : 'No kudos in the period.';
    return { summary, data: { colleagues, customers, kudos } };
  },
};
