// The fairness section of appraise.config.yaml, checked where JSON Schema cannot: every name in
// an intersection must be a protected attribute, or the report would compare by an attribute
// the organisation never declared as protected (and silently call everyone "unknown").
import type { AppConfig } from '../config/config.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { locate, type YamlSource } from '../policy/yaml-source.ts';

export function checkFairnessSettings(config: Pick<AppConfig, 'fairness' | 'file'>, source?: YamlSource): Diagnostic[] {
  const declared = new Set(config.fairness.protectedAttributes);
  const out: Diagnostic[] = [];
  (config.fairness.intersections ?? []).forEach((names, i) => {
    names.forEach((name, j) => {
      if (declared.has(name)) return;
      const known = [...declared].map((d) => `\`${d}\``).join(', ') || 'none yet';
      out.push({
        code: 'APPRAISE_CONFIG_FAIRNESS_INTERSECTION',
        severity: 'error',
        message: `\`fairness.intersections\` names \`${name}\`, which is not one of \`fairness.protectedAttributes\` (${known}). Add it to protectedAttributes, or name only protected attributes in the intersection.`,
        file: config.file ?? 'appraise.config.yaml',
        ...(source ? locate(source, ['fairness', 'intersections', i, j], 'value') : { line: 0, column: 0 }),
      });
    });
  });
  return out;
}
