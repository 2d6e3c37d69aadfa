import { PGlite } from '@electric-sql/pglite';
import { readFileSync } from 'node:fs';
for (let i = 0; i < 3; i++) {
  let t0 = performance.now();
  const a = await PGlite.create();
  const t1 = performance.now();
  const b = await PGlite.create({ loadDataDir: new Blob([readFileSync('/tmp/template.tar')]) });
  const t2 = performance.now();
  console.log('memory initdb', Math.round(t1 - t0), 'from tar', Math.round(t2 - t1));
  await a.close(); await b.close();
}
