// `appraise run --view`: a back-dated run says which view it used, in words, and a view that
// does not exist is refused before anything runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'appraise-view-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'speed.policy.yaml'), `apiVersion: appraise/v1
kind: ReviewPolicy
metadata: { id: speed, title: Resolution speed, owner: hr }
spec:
  appliesTo: { roles: [agent] }
  facts:
    resolution: { metric: support.resolution-time, minSamples: 2 }
  rules:
    - { id: slow, when: { all: [{ fact: resolution, operator: greaterThan, value: 1d }] }, then: { outcome: coaching } }
`);

describe('appraise run --view', () => {
  const run = (...extra: string[]) => cli(['run', '--policies', join(dir, 'speed.policy.yaml'), '--as-of', '2016-04-15', '--data-dir', join(dir, 'store'), ...extra]);

  it('says the default view: as things stood on the as-of date', () => {
    const r = run();
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('As things stood on 15 Apr 2016: responses, resolutions and other events dated after that count as not yet happened');
  }, 120_000);

  it('looks ahead with --view latest, and says so', () => {
    const r = run('--view', 'latest', '--format', 'json');
    expect(JSON.parse(r.stdout).run.summary.pointInTime).toMatchObject({ view: 'latest', words: expect.stringMatching(/^Looking ahead from 15 Apr 2016/) });
  }, 120_000);

  it('refuses a view that does not exist', () => {
    const r = run('--view', 'tomorrow');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--view must be as-of or latest, not tomorrow.');
  }, 120_000);
});
