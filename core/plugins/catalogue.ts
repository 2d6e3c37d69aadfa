// The registry of contributions, read from plugin manifests alone: validating a policy never
// loads plugin code. (The plugin host adds activation, containment and implementations.)
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRegistry, type MetricInfo, type OperatorInfo, type Registry, type WorkflowInfo } from '../registry/registry.ts';

export const BUILTIN_PLUGIN_DIR = fileURLToPath(new URL('../../plugins/', import.meta.url));

interface RawManifest {
  name: string;
  appraise?: {
    contributes?: {
      metrics?: Array<Omit<MetricInfo, 'plugin'>>;
      operators?: Array<Omit<OperatorInfo, 'plugin'>>;
      workflows?: Array<Omit<WorkflowInfo, 'plugin'>>;
    };
  };
}

export async function pluginFolders(dirs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const dir of dirs) {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory() && !e.name.startsWith('.')) out.push(join(dir, e.name));
    }
  }
  return out;
}

export async function registryFromManifests(dirs: string[] = [BUILTIN_PLUGIN_DIR]): Promise<Registry> {
  const metrics: MetricInfo[] = [];
  const operators: OperatorInfo[] = [];
  const workflows: WorkflowInfo[] = [];
  for (const folder of await pluginFolders(dirs)) {
    let manifest: RawManifest;
    try {
      manifest = JSON.parse(await readFile(join(folder, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const c = manifest.appraise?.contributes ?? {};
    const ns = (id: string) => `${manifest.name}.${id}`;
    for (const m of c.metrics ?? []) metrics.push({ ...m, id: ns(m.id), plugin: manifest.name });
    for (const o of c.operators ?? []) operators.push({ ...o, id: ns(o.id), plugin: manifest.name });
    for (const w of c.workflows ?? []) workflows.push({ ...w, id: ns(w.id), plugin: manifest.name });
  }
  return createRegistry({ metrics, operators, workflows });
}
