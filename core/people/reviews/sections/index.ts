// The packet's sections, in the order a packet shows them: the period's measures, customers'
// words, cases and training, then what the people side adds (goals from core/people/goals,
// kudos from core/people/feedback).
import { registerPacketSection } from '../packet.ts';
import { metricsSection } from './metrics.ts';
import { verbatimsSection } from './verbatims.ts';
import { casesSection } from './cases.ts';
import { trainingSection } from './training.ts';
import { goalsSection } from './goals.ts';
import { kudosSection } from './kudos.ts';

registerPacketSection(metricsSection);
registerPacketSection(verbatimsSection);
registerPacketSection(casesSection);
registerPacketSection(trainingSection);
registerPacketSection(goalsSection);
registerPacketSection(kudosSection);
