// What a draft would change, as its last preview found it: who newly gets recognition, coaching
// or a PIP, who no longer does, and the fairness flags. Kept with the draft (sessionStorage),
// keyed by a hash of the draft's text, so publish can show it only while it is "fresh": the
// same text, previewed against the version that is still the published one.
import type { Outcome, SimulateResponse } from '../api/types.ts';

export const OUTCOMES: Outcome[] = ['recognition', 'coaching', 'pip'];

export interface ImpactPerson {
  employeeId: string;
  name: string;
}

export interface ImpactSummary {
  /** textHash of the previewed draft. */
  textHash: string;
  /** The version the draft was compared with; null when nothing was published. */
  publishedVersion: number | null;
  asOf: string;
  previewedAt: string;
  /** Who gets each outcome under the draft but not under the published version. */
  gains: Record<Outcome, ImpactPerson[]>;
  /** Who gets each outcome under the published version but no longer under the draft. */
  losses: Record<Outcome, ImpactPerson[]>;
  /** false when no protected attributes are configured: fairness was not checked at all. */
  fairnessChecked: boolean;
  /** The fairness flags in words (four-fifths rule). */
  flags: string[];
}

/**
 * A short hash of a text (cyrb53, as hex), to tell drafts apart. Not SHA-256 on purpose:
 * crypto.subtle exists only on https or localhost, and the admin UI may be served over plain
 * http inside a company; this key needs to tell two drafts apart, not to resist an attacker.
 */
export function textHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return `${(h2 >>> 0).toString(16).padStart(8, '0')}${(h1 >>> 0).toString(16).padStart(8, '0')}-${text.length}`;
}

const empty = (): Record<Outcome, ImpactPerson[]> => ({ recognition: [], coaching: [], pip: [] });

/**
 * The summary of one preview. Someone whose outcome changes (coaching → PIP) newly gets the
 * one and no longer gets the other, so they count under both.
 */
export function summarizeImpact(yaml: string, r: SimulateResponse, now = new Date()): ImpactSummary {
  const gains = empty();
  const losses = empty();
  const person = (p: { employeeId: string; name: string }): ImpactPerson => ({ employeeId: p.employeeId, name: p.name });
  for (const p of r.newlyAffected) for (const o of p.outcomes) gains[o].push(person(p));
  for (const p of r.noLongerAffected) for (const o of p.outcomes) losses[o].push(person(p));
  for (const p of r.changedOutcome) {
    for (const o of p.after) if (!p.before.includes(o)) gains[o].push(person(p));
    for (const o of p.before) if (!p.after.includes(o)) losses[o].push(person(p));
  }
  const byId = (a: ImpactPerson, b: ImpactPerson) => a.employeeId.localeCompare(b.employeeId);
  for (const o of OUTCOMES) {
    gains[o].sort(byId);
    losses[o].sort(byId);
  }
  return {
    textHash: textHash(yaml),
    publishedVersion: r.publishedVersion,
    asOf: r.asOf,
    previewedAt: now.toISOString(),
    gains,
    losses,
    fairnessChecked: r.fairness.protectedAttributes.length > 0,
    flags: r.fairness.flags.map((f) => f.message),
  };
}

/** Whether a summary is of exactly this text, previewed against the version published now. */
export function isFresh(s: ImpactSummary | null | undefined, yaml: string, publishedVersion: number): boolean {
  return !!s && s.textHash === textHash(yaml) && s.publishedVersion === publishedVersion;
}

/** Whether the preview changes nobody's outcome. */
export const changesNobody = (s: ImpactSummary) => OUTCOMES.every((o) => !s.gains[o].length && !s.losses[o].length);

const NOTE_WORD: Record<Outcome, string> = { recognition: 'recognition', coaching: 'coaching', pip: 'PIP' };
const counts = (m: Record<Outcome, ImpactPerson[]>) =>
  OUTCOMES.filter((o) => m[o].length).map((o) => `${m[o].length} ${NOTE_WORD[o]}`).join(', ');

/** The longest note `previewNote` writes, so the comment field leaves room for it. */
export const PREVIEW_NOTE_MAX = 160;

/**
 * The sentence the publish comment ends with, so the history records whether the publisher
 * saw who the change affects (the API has no field for it).
 */
export function previewNote(s: ImpactSummary | null): string {
  if (!s) return '(Published without a preview.)';
  const parts = changesNobody(s)
    ? ["nobody's outcome changes"]
    : [counts(s.gains) && `newly ${counts(s.gains)}`, counts(s.losses) && `no longer ${counts(s.losses)}`].filter(Boolean);
  const fairness = !s.fairnessChecked ? 'fairness not checked' : s.flags.length ? `${s.flags.length} fairness flag${s.flags.length === 1 ? '' : 's'}` : 'no fairness flags';
  return `(Previewed before publishing: ${parts.join('; ')}; ${fairness}.)`;
}

/** The comment as published: the admin's words, then the preview note. */
export function withPreviewNote(comment: string, s: ImpactSummary | null): string {
  const c = comment.trim();
  return c ? `${c} ${previewNote(s)}` : previewNote(s);
}

// sessionStorage, beside the draft (policy-page.ts): a few summaries per policy, by text hash,
// so going back to a text already previewed finds its preview again.
const KEY = (policyId: string) => `appraise.preview.${policyId}`;
const KEEP = 5;

function readAll(policyId: string): ImpactSummary[] {
  try {
    const raw = sessionStorage.getItem(KEY(policyId));
    const all = raw ? (JSON.parse(raw) as unknown) : [];
    return Array.isArray(all) ? (all as ImpactSummary[]) : [];
  } catch {
    return [];
  }
}

export const impactStore = {
  /** The last preview of this text, fresh or not (see isFresh). */
  find(policyId: string, yaml: string): ImpactSummary | null {
    const hash = textHash(yaml);
    return readAll(policyId).find((s) => s.textHash === hash) ?? null;
  },
  save(policyId: string, s: ImpactSummary): void {
    const rest = readAll(policyId).filter((x) => x.textHash !== s.textHash);
    try {
      sessionStorage.setItem(KEY(policyId), JSON.stringify([s, ...rest].slice(0, KEEP)));
    } catch {
      // A full sessionStorage costs the summary, not the preview.
    }
  },
  forget(policyId: string): void {
    sessionStorage.removeItem(KEY(policyId));
  },
};
