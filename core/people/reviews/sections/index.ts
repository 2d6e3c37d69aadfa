// The packet's built-in sections, in the order a packet shows them. Goals and kudos (other
// parts of core/people/) add theirs with registerPacketSection after these.
import { registerPacketSection } from '../packet.ts';
import { metricsSection } from './metrics.ts';
import { verbatimsSection } from './verbatims.ts';
import { casesSection } from './cases.ts';
import { trainingSection } from './training.ts';

registerPacketSection(metricsSection);
registerPacketSection(verbatimsSection);
registerPacketSection(casesSection);
registerPacketSection(trainingSection);
