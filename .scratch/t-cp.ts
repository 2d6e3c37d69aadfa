import { PGlite } from '@electric-sql/pglite';
import { cpSync, rmSync } from 'node:fs';
const mode = process.argv[2];
if (mode === 'make') {
  rmSync('/tmp/tpl-dir', { recursive: true, force: true });
  const db = await PGlite.create('/tmp/tpl-dir');
  await db.query('create table x (a int)');
  await db.close();
} else {
  rmSync('/tmp/cp-target', { recursive: true, force: true });
  const t0 = performance.now();
  cpSync('/tmp/tpl-dir', '/tmp/cp-target', { recursive: true });
  const t1 = performance.now();
  const db = await PGlite.create('/tmp/cp-target');
  const t2 = performance.now();
  console.log('cp', Math.round(t1 - t0), 'open', Math.round(t2 - t1), (await db.query('select count(*) from x')).rows);
  await db.close();
}
