// Loads the demo organisation into an empty store (filled in with the generator and importers).
import type { Appraise } from './appraise.ts';

export async function loadDemoOrganisation(_app: Appraise, say: (m: string) => void): Promise<void> {
  say('no demo data loaded');
}
