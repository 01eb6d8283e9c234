import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { OpenAIAgentsPlugin } from '@temporalio/openai-agents';
import { noModels } from '../common/no-models.js';
import { steadfastDataConverter } from '../common/data-converter.js';
import { HASH_VALUE } from '../common/payload-storage/content.js';
import { LocalPayloadDriver } from '../common/payload-storage/local-driver.js';
import { storedReferencesOf } from '../common/payload-storage/references.js';

/** What a run weighs: its history as Temporal counts it, and the payloads it keeps outside. */
export interface RunWeight {
  /** Temporal's own count (DescribeWorkflowExecution historySizeBytes): what the 50 MB limit applies to. */
  historyBytes: number;
  events: number;
  /** Distinct payloads the history refers to, and their serialized bytes. */
  storedPayloads: number;
  storedBytes: number;
}

export async function runWeight(handle: WorkflowHandle): Promise<RunWeight> {
  const [description, history] = await Promise.all([handle.describe(), handle.fetchHistory()]);
  const refs = storedReferencesOf(history);
  return {
    historyBytes: Number(description.raw.workflowExecutionInfo?.historySizeBytes ?? 0),
    events: history.events?.length ?? 0,
    storedPayloads: refs.length,
    storedBytes: refs.reduce((sum, r) => sum + r.sizeBytes, 0),
  };
}

/** The content hashes a history refers to. */
export function referencedHashes(history: unknown): Set<string> {
  return new Set(storedReferencesOf(history).map((r) => r.claimData[HASH_VALUE]!));
}

/** Every object file of a local payload folder (hash → bytes), and the temp files a crash left. */
export async function localStoreContents(
  dir: string
): Promise<{ objects: Map<string, number>; temps: string[] }> {
  const objects = new Map<string, number>();
  const temps: string[] = [];
  const fanout = await readdir(path.join(dir, 'sha256')).catch(() => [] as string[]);
  for (const sub of fanout) {
    for (const name of await readdir(path.join(dir, 'sha256', sub))) {
      const file = path.join(dir, 'sha256', sub, name);
      if (name.endsWith('.tmp')) temps.push(file);
      else objects.set(name, (await stat(file)).size);
    }
  }
  return { objects, temps };
}

/** The file of one stored payload in a local folder. */
export function localObjectFile(dir: string, sha: string): string {
  return new LocalPayloadDriver(dir).fileOf(sha);
}

/**
 * A client on the same connection whose payload store is configured by `env` (e.g.
 * STEADFAST_PAYLOAD_STORE=local:<dir>), as a CLI with that environment would be: for tests whose
 * worker processes get the same variables.
 */
export function clientWithStore(client: Client, env: NodeJS.ProcessEnv): Client {
  return new Client({
    connection: client.connection,
    namespace: client.options.namespace,
    plugins: [new OpenAIAgentsPlugin({ modelProvider: noModels })],
    dataConverter: steadfastDataConverter({ ...process.env, ...env }),
  });
}
