// The fairness report of a population and its selections, with the protected attributes and
// minimum group size from the config.
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
  });
}
