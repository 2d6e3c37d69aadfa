// Splits the decide phase of a large population across worker threads (the machine has 2
// cores). Facts and decisions cross the thread boundary by structured clone, which costs
// about as much as evaluating on the fast path, so this pays only for large populations: below
// PARALLEL_THRESHOLD employees a policy is decided on the main thread (measured by
// `npm run bench`, see bench/README.md). Policies with plugin operators stay on the main
// thread, where the plugin host lives.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { RuleExplanation } from './evaluate.ts';

export const PARALLEL_THRESHOLD = Number(process.env.APPRAISE_PARALLEL_THRESHOLD ?? 100_000);

export interface SliceRequest {
  id: number;
  policyKey: string;
  policy: unknown;
  metrics: unknown[];
  employees: Array<{ index: number; employee: unknown; facts: Array<[string, unknown]> }>;
}

export interface SliceResult {
  id: number;
  results: Array<{ index: number; rules: RuleExplanation[] }>;
  errors: number;
  error?: string;
}

const ENTRY = fileURLToPath(new URL('./decide-worker-entry.mjs', import.meta.url));
let pool: Worker[] | undefined;
let nextId = 1;

function workers(): Worker[] {
  if (!pool) {
    const n = Math.max(1, Math.min(availableParallelism() - 1, 3));
    pool = Array.from({ length: n }, () => {
      const w = new Worker(ENTRY);
      w.unref();
      return w;
    });
  }
  return pool;
}

export function workerCount(): number {
  return Math.max(1, Math.min(availableParallelism() - 1, 3));
}

/** Runs one slice on a worker thread. */
export function runSlice(worker: number, req: Omit<SliceRequest, 'id'>): Promise<SliceResult> {
  const w = workers()[worker % workers().length];
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const onMessage = (msg: SliceResult) => {
      if (msg.id !== id) return;
      w.off('message', onMessage);
      w.off('error', onError);
      if (msg.error) reject(new Error(`decide worker: ${msg.error}`));
      else resolve(msg);
    };
    const onError = (e: Error) => {
      w.off('message', onMessage);
      reject(e);
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.postMessage({ ...req, id });
  });
}

/** Stops the worker threads (tests and the benchmark). */
export async function stopDecideWorkers(): Promise<void> {
  const p = pool;
  pool = undefined;
  await Promise.all((p ?? []).map((w) => w.terminate()));
}
