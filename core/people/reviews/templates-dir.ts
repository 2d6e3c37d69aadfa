// The templates HR can open a cycle with: the shipped `rules/reviews/*.review.yaml`, and those in
// `rules/reviews/` of the folder Appraise runs in (an organisation's own, which win on the same id).
import { resolve } from 'node:path';
import { AppraiseError } from '../../diagnostics/diagnostic.ts';
import { didYouMean } from '../../util/did-you-mean.ts';
import { packetSectionIds } from './packet.ts';
import { loadTemplates, SHIPPED_TEMPLATES_DIR, templateError, type LoadedTemplate, type ReviewTemplate } from './template.ts';
import './sections/index.ts';

async function allTemplates(): Promise<LoadedTemplate[]> {
  const local = resolve('rules/reviews') + '/';
  const dirs = local === SHIPPED_TEMPLATES_DIR ? [SHIPPED_TEMPLATES_DIR] : [SHIPPED_TEMPLATES_DIR, local];
  const byId = new Map<string, LoadedTemplate>();
  for (const dir of dirs) {
    for (const t of await loadTemplates(packetSectionIds(), dir)) byId.set(t.template?.metadata.id ?? t.file, t);
  }
  return [...byId.values()];
}

export async function listTemplates() {
  return (await allTemplates()).map((t) => ({
    id: t.template?.metadata.id ?? t.file, title: t.template?.metadata.title ?? t.file, description: t.template?.metadata.description ?? null, file: t.file,
    sections: (t.template?.spec.sections ?? []).map((s) => ({ id: s.id, title: s.title, weight: s.weight, scale: s.scale })),
    diagnostics: t.diagnostics,
  }));
}

/** A usable template by id, or a coded error: unknown (with a did-you-mean) or with problems. */
export async function findTemplate(id: string): Promise<{ template: ReviewTemplate; text: string }> {
  const all = await allTemplates();
  const t = all.find((x) => x.template?.metadata.id === id || x.file.endsWith(`/${id}.review.yaml`));
  if (!t) {
    const ids = all.map((x) => x.template?.metadata.id).filter((x): x is string => Boolean(x));
    throw new AppraiseError('APPRAISE_REVIEW_TEMPLATE_NOT_FOUND', `There is no review template \`${id}\`.${didYouMean(id, ids)} The templates are ${ids.join(', ') || 'none'} (rules/reviews/*.review.yaml).`, { field: 'template', value: id });
  }
  if (!t.template) throw templateError(t);
  return { template: t.template, text: t.text! };
}
