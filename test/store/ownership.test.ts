// The lock on an embedded store folder: one owner; a second process learns who; a lock whose
// process is gone (or whose pid now belongs to another process) is taken over, and the new
// owner keeps it quietly afterwards.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireOwnership, ownerFile, type Ownership } from '../../core/store/ownership.ts';

const folders: string[] = [];
const held: Ownership[] = [];
afterEach(async () => {
  for (const h of held.splice(0)) await h.release();
  for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true });
});
const folder = () => {
  const f = mkdtempSync(join(tmpdir(), 'appraise-owner-'));
  folders.push(f);
  return f;
};
const own = async (dir: string, command: string) => {
  const got = await acquireOwnership(dir, command);
  if ('info' in got) held.push(got);
  return got;
};

/** What a killed owner leaves: its lock and its owner file. */
function leftBehind(dir: string, owner: Record<string, unknown>) {
  mkdirSync(join(dir, 'owner.lock'));
  writeFileSync(ownerFile(dir), JSON.stringify({ host: hostname(), command: 'appraise serve', startedAt: new Date().toISOString(), ...owner }));
}

describe('the owner of a store folder', () => {
  it('is one process; a second learns its pid and command; the folder and owner file are private', async () => {
    const dir = folder();
    const first = await own(dir, 'appraise serve');
    expect('info' in first).toBe(true);
    const second = await acquireOwnership(dir, 'appraise run');
    expect(second).toEqual({ owner: expect.objectContaining({ pid: process.pid, command: 'appraise serve' }) });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(ownerFile(dir)).mode & 0o777).toBe(0o600);
    await (first as Ownership).release();
    held.length = 0;
    expect('info' in (await own(dir, 'appraise run'))).toBe(true);
  });

  it('takes over a lock whose process is gone, and keeps it without a murmur afterwards', async () => {
    const dir = folder();
    leftBehind(dir, { pid: 2 ** 22 + 12345 }); // above Linux's pid_max: no such process
    const got = await own(dir, 'appraise serve');
    expect('info' in got).toBe(true);
    expect(JSON.parse(readFileSync(ownerFile(dir), 'utf8'))).toMatchObject({ pid: process.pid, command: 'appraise serve' });
    // proper-lockfile checks its locks every few seconds; a lock it lost track of would throw here.
    await new Promise((r) => setTimeout(r, 6500));
    expect(JSON.parse(readFileSync(ownerFile(dir), 'utf8')).pid).toBe(process.pid);
  }, 20_000);

  it('takes over a lock whose pid now belongs to another process (started later)', async () => {
    const dir = folder();
    leftBehind(dir, { pid: process.pid, startTicks: '1' });
    expect('info' in (await own(dir, 'appraise serve'))).toBe(true);
  });

  it('never takes over a lock held on another machine', async () => {
    const dir = folder();
    leftBehind(dir, { pid: 2 ** 22 + 1, host: 'another-host' });
    expect(await acquireOwnership(dir, 'appraise run')).toEqual({ owner: expect.objectContaining({ host: 'another-host' }) });
  });
});
