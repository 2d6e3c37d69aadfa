// The fairness report of a population and its selections, with the protected attributes and
// small-group thresholds, intersections and unknown values from the config. Previews keep the
// unknowns as a "(not recorded)" group; the audit report (core/fairness/audit.ts) sets them apart.
import type { AppConfig } from '../config/config.ts';
import { fairnessReport } from '../fairness/report.ts';
import type { FairnessReport } from '../fairness/types.ts';
import type { Employee } from '../run/employees.ts';

export function fairnessFor(config: AppConfig, population: Employee[], selected: Record<'recognition' | 'coaching' | 'pip', Set<string>>): FairnessReport {
  return fairnessReport({
    population: population.map((e) => ({ employeeId: e.id, attributes: e.attributes, ...(e.location ? { location: e.location } : {}) })),
    selected,
    protectedAttributes: config.fairness.protectedAttributes,
    minGroupSize: config.fairness.minGroupSize,
    minGroupShare: config.fairness.minGroupShare ?? 0,
    intersections: config.fairness.intersections ?? [],
    unknownValues: config.fairness.unknownValues ?? [],
  });
}
