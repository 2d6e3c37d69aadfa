// The registry of contributions that policies are checked against, from manifests alone:
// validating a policy never loads plugin code.
import type { Registry } from '../registry/registry.ts';
import { BUILTIN_PLUGIN_DIR, discoverPlugins } from './discovery.ts';

export { BUILTIN_PLUGIN_DIR };

/** The registry of the built-in plugins plus those in `extraDirs`. */
export async function registryFromManifests(extraDirs: string[] = []): Promise<Registry> {
  return (await discoverPlugins(extraDirs.filter((d) => d !== BUILTIN_PLUGIN_DIR))).registry;
}
