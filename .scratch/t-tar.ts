import { PGlite } from '@electric-sql/pglite';
import { writeFileSync, readFileSync } from 'node:fs';
const mode = process.argv[2];
if (mode === 'dump') {
  const db = await PGlite.create('memory://');
  const blob = await db.dumpDataDir('none');
  writeFileSync('/tmp/template.tar', Buffer.from(await blob.arrayBuffer()));
  console.log('dumped', blob.size);
  await db.close();
} else if (mode === 'load') {
  const t0 = performance.now();
  const db = await PGlite.create(process.argv[3], { loadDataDir: new Blob([readFileSync('/tmp/template.tar')]) });
  console.log('create from tar', Math.round(performance.now() - t0), 'ms');
  await db.query('create table x(a int)');
  await db.close();
  const t1 = performance.now();
  const db2 = await PGlite.create(process.argv[3]);
  console.log('reopen', Math.round(performance.now() - t1), (await db2.query('select count(*) from x')).rows);
  await db2.close();
}
if (mode === 'mem') {
  const m0 = process.memoryUsage().rss;
  const db = await PGlite.create(process.argv[3], { loadDataDir: new Blob([readFileSync('/tmp/template.tar')]) });
  (globalThis as any).gc?.();
  console.log('rss after tar create', Math.round(process.memoryUsage().rss / 1048576), 'ext', Math.round(process.memoryUsage().external / 1048576));
  await db.close();
  const db2 = await PGlite.create('/tmp/po4');
  (globalThis as any).gc?.();
  console.log('rss after initdb create', Math.round(process.memoryUsage().rss / 1048576), 'ext', Math.round(process.memoryUsage().external / 1048576));
}
