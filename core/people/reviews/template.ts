// Review templates: YAML documents (`*.review.yaml`) with the form of a review — sections, the
// rating scales they use, their weights, and the questions for the employee and the manager.
// Loaded like policies: parsed with positions kept, checked against
// schemas/review-template.schema.json, then checked for what a schema cannot say (a section's
// scale exists, ids are unique); every problem is a diagnostic at its line and column.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { AppraiseError, hasErrors } from '../../diagnostics/diagnostic.ts';
import type { ErrorCode } from '../../diagnostics/codes.ts';
import { readTextFile } from '../../policy/load.ts';
import { validateAgainstSchema } from '../../policy/schema-check.ts';
import { locate, parseYamlSource, type PathSegment, type YamlSource } from '../../policy/yaml-source.ts';
import { didYouMean } from '../../util/did-you-mean.ts';

export interface RatingScale {
  min: number;
  max: number;
  labels?: Record<string, string>;
}

export interface TemplateSection {
  id: string;
  title: string;
  description?: string;
  scale: string;
  weight: number;
  evidence?: string[];
  selfQuestion?: string;
  managerQuestion?: string;
}

export interface ReviewTemplate {
  apiVersion: 'appraise/v1';
  kind: 'ReviewTemplate';
  metadata: { id: string; title: string; description?: string };
  spec: {
    scales: Record<string, RatingScale>;
    overallScale?: string;
    sections: TemplateSection[];
    summary?: { selfQuestion?: string; managerQuestion?: string };
  };
}

export interface LoadedTemplate {
  file: string;
  text?: string;
  template?: ReviewTemplate;
  source?: YamlSource;
  diagnostics: Diagnostic[];
}

/** Where the shipped templates are: `rules/reviews/` of the package. */
export const SHIPPED_TEMPLATES_DIR = fileURLToPath(new URL('../../../rules/reviews/', import.meta.url));
export const TEMPLATE_FILE = /\.review\.ya?ml$/;

/**
 * A template's text, checked. `packetSections` are the ids a section's `evidence` may name (the
 * packet registry's), so that a typo is caught when the template is loaded, not when a packet is
 * read.
 */
export function loadTemplateText(file: string, text: string, packetSections: readonly string[]): LoadedTemplate {
  const { source, diagnostics } = parseYamlSource(file, text);
  if (!source || hasErrors(diagnostics)) return { file, text, source, diagnostics };
  const shape = validateAgainstSchema(source, 'review-template.schema.json');
  if (shape.length) return { file, text, source, diagnostics: [...diagnostics, ...shape] };
  const template = source.value as ReviewTemplate;
  const all = [...diagnostics, ...checkTemplate(source, template, packetSections)];
  return { file, text, source, template: hasErrors(all) ? undefined : template, diagnostics: all };
}

function checkTemplate(source: YamlSource, t: ReviewTemplate, packetSections: readonly string[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (code: ErrorCode, message: string, path: PathSegment[], which: 'key' | 'value' = 'value') =>
    out.push({ code, severity: 'error', message, file: source.file, ...locate(source, path, which) });
  const scaleIds = Object.keys(t.spec.scales);
  for (const [id, s] of Object.entries(t.spec.scales)) {
    if (s.max <= s.min) at('APPRAISE_REVIEW_TEMPLATE_BAD_SCALE', `The scale \`${id}\` runs from ${s.min} to ${s.max}: its max must be larger than its min.`, ['spec', 'scales', id, 'max']);
    for (const point of Object.keys(s.labels ?? {})) {
      const n = Number(point);
      if (n < s.min || n > s.max) at('APPRAISE_REVIEW_TEMPLATE_BAD_SCALE', `The label for ${point} is outside the scale \`${id}\` (${s.min} to ${s.max}). Remove it or widen the scale.`, ['spec', 'scales', id, 'labels', point], 'key');
    }
  }
  if (t.spec.overallScale !== undefined && !scaleIds.includes(t.spec.overallScale)) {
    at('APPRAISE_REVIEW_TEMPLATE_UNKNOWN_SCALE', `There is no scale \`${t.spec.overallScale}\` in spec.scales.${didYouMean(t.spec.overallScale, scaleIds)}`, ['spec', 'overallScale']);
  }
  const seen = new Set<string>();
  t.spec.sections.forEach((s, i) => {
    if (seen.has(s.id)) at('APPRAISE_REVIEW_TEMPLATE_DUPLICATE_SECTION', `Two sections have the id \`${s.id}\`. Give each section its own id: ratings and disputes name it.`, ['spec', 'sections', i, 'id']);
    seen.add(s.id);
    if (!scaleIds.includes(s.scale)) at('APPRAISE_REVIEW_TEMPLATE_UNKNOWN_SCALE', `There is no scale \`${s.scale}\` in spec.scales.${didYouMean(s.scale, scaleIds)} The scales are ${scaleIds.join(', ')}.`, ['spec', 'sections', i, 'scale']);
    (s.evidence ?? []).forEach((e, j) => {
      if (!packetSections.includes(e)) {
        at('APPRAISE_REVIEW_TEMPLATE_UNKNOWN_EVIDENCE', `The packet has no section \`${e}\`.${didYouMean(e, packetSections)} Its sections are ${packetSections.join(', ')}.`, ['spec', 'sections', i, 'evidence', j]);
      }
    });
  });
  return out;
}

/** The scale the overall score is given on. */
export function overallScaleOf(t: ReviewTemplate): RatingScale {
  return t.spec.scales[t.spec.overallScale ?? Object.keys(t.spec.scales)[0]];
}

/**
 * The overall score: each section's rating placed on the overall scale by its position between
 * its own scale's ends, then the mean weighted by the sections' weights. Undefined until every
 * section is rated.
 */
export function overallScore(t: ReviewTemplate, ratings: Readonly<Record<string, number>>): number | undefined {
  const overall = overallScaleOf(t);
  let sum = 0;
  let weights = 0;
  for (const s of t.spec.sections) {
    const r = ratings[s.id];
    if (typeof r !== 'number') return undefined;
    const scale = t.spec.scales[s.scale];
    sum += ((r - scale.min) / (scale.max - scale.min)) * s.weight;
    weights += s.weight;
  }
  return Math.round((overall.min + (overall.max - overall.min) * (sum / weights)) * 100) / 100;
}

/** The templates in a folder (`*.review.yaml`), loaded; the shipped folder by default. */
export async function loadTemplates(packetSections: readonly string[], dir = SHIPPED_TEMPLATES_DIR): Promise<LoadedTemplate[]> {
  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((n) => TEMPLATE_FILE.test(n)).sort();
  } catch {
    return [];
  }
  return Promise.all(names.map((n) => loadTemplateFile(join(dir, n), packetSections)));
}

export async function loadTemplateFile(file: string, packetSections: readonly string[]): Promise<LoadedTemplate> {
  const { text, diagnostic } = await readTextFile(file);
  if (diagnostic) return { file, diagnostics: [diagnostic] };
  return loadTemplateText(file, text!, packetSections);
}

/** A template's diagnostics as one coded error (for the API and the CLI); the diagnostics ride along. */
export function templateError(loaded: LoadedTemplate): AppraiseError {
  const first = loaded.diagnostics.find((d) => d.severity === 'error');
  return new AppraiseError('APPRAISE_REVIEW_TEMPLATE_INVALID',
    `The review template ${loaded.file} has ${loaded.diagnostics.filter((d) => d.severity === 'error').length} problem(s)${first ? `; the first, at line ${first.line}, column ${first.column}: ${first.message.replace(/\.$/, '')}` : ''}. Fix them and open the cycle again.`,
    { diagnostics: loaded.diagnostics });
}
