// Which folder the embedded store is in: --data-dir, else APPRAISE_DATA_DIR, else the config's
// store.dataDir. `npm start` with APPRAISE_DATA_DIR used to open the config's default folder
// while writing its request log into the variable's folder, and stopped on a missing file.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Appraise } from '../../core/app/appraise.ts';
import { defaultConfig, storeFolder } from '../../core/config/config.ts';

const saved = process.env.APPRAISE_DATA_DIR;
afterEach(() => {
  if (saved === undefined) delete process.env.APPRAISE_DATA_DIR;
  else process.env.APPRAISE_DATA_DIR = saved;
});

describe('the store folder', () => {
  it('is --data-dir, else APPRAISE_DATA_DIR, else the config', () => {
    const config = { ...defaultConfig(), store: { dataDir: 'from-config' } };
    delete process.env.APPRAISE_DATA_DIR;
    expect(storeFolder(config)).toBe('from-config');
    process.env.APPRAISE_DATA_DIR = 'from-env';
    expect(storeFolder(config)).toBe('from-env');
    expect(storeFolder(config, 'from-option')).toBe('from-option');
  });

  it('the application opens its store where APPRAISE_DATA_DIR says, with the default config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'appraise-data-dir-'));
    process.env.APPRAISE_DATA_DIR = join(dir, 'store');
    const app = await Appraise.open({ config: defaultConfig(), databaseUrl: '' });
    try {
      expect(app.store.location).toBe(join(dir, 'store'));
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
