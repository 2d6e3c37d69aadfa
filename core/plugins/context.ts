// Builds the frozen PluginContext that `activate` receives and collects what the plugin
// registers. Shared by the in-process runtime and the worker that hosts isolated plugins, so
// both enforce the same rule: only ids the manifest declares can be registered.
import type {
  ContributionRegistry, Disposable, MetricImplementation, OperatorImplementation, PluginContext, PluginLogger, SourceImplementation, WorkflowHandler,
} from './api.ts';

export interface DeclaredIds {
  metrics: string[];
  operators: string[];
  workflows: string[];
  /** Absent where the caller predates sources: none declared. */
  sources?: string[];
}

export interface Registrations {
  metrics: Map<string, MetricImplementation>;
  operators: Map<string, OperatorImplementation>;
  workflows: Map<string, WorkflowHandler>;
  sources: Map<string, SourceImplementation>;
  /** Ids registered that the manifest does not declare (reported by the host). */
  undeclared: Array<{ kind: keyof DeclaredIds; id: string }>;
}

export class UndeclaredContributionError extends Error {
  constructor(kind: string, id: string, pluginId: string) {
    super(`${pluginId} registered the ${kind.replace(/s$/, '')} \`${id}\`, which its package.json does not declare under appraise.contributes.${kind}. Declare it there first.`);
    this.name = 'UndeclaredContributionError';
  }
}

export function createPluginContext(options: {
  pluginId: string;
  extensionPath: string;
  settings: Record<string, unknown>;
  declared: DeclaredIds;
  log: PluginLogger;
}): { context: PluginContext; registrations: Registrations } {
  const registrations: Registrations = { metrics: new Map(), operators: new Map(), workflows: new Map(), sources: new Map(), undeclared: [] };
  const registry = <T>(kind: keyof DeclaredIds, into: Map<string, T>): ContributionRegistry<T> =>
    Object.freeze({
      register(id: string, implementation: T): Disposable {
        if (!(options.declared[kind] ?? []).includes(id)) {
          // Recorded and ignored rather than thrown: one stray registration must not cost the
          // plugin its declared contributions. The host reports it.
          registrations.undeclared.push({ kind, id });
          options.log.warn(new UndeclaredContributionError(kind, id, options.pluginId).message);
          return { dispose: () => {} };
        }
        into.set(id, implementation);
        return { dispose: () => void (into.get(id) === implementation && into.delete(id)) };
      },
    });
  const context: PluginContext = Object.freeze({
    pluginId: options.pluginId,
    extensionPath: options.extensionPath,
    settings: Object.freeze({ ...options.settings }),
    subscriptions: [],
    metrics: registry<MetricImplementation>('metrics', registrations.metrics),
    operators: registry<OperatorImplementation>('operators', registrations.operators),
    workflows: registry<WorkflowHandler>('workflows', registrations.workflows),
    sources: registry<SourceImplementation>('sources', registrations.sources),
    log: options.log,
  });
  return { context, registrations };
}

/** Disposes subscriptions in reverse order; a throwing disposable does not stop the others. */
export function disposeAll(subscriptions: Disposable[], onError: (e: unknown) => void): void {
  while (subscriptions.length) {
    const d = subscriptions.pop()!;
    try {
      d.dispose();
    } catch (e) {
      onError(e);
    }
  }
}
