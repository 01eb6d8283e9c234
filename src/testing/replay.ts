import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { OpenAIAgentsPlugin } from '@temporalio/openai-agents';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { noModels } from '../common/no-models.js';
import { steadfastDataConverter } from '../common/data-converter.js';
import {
  checkStoredPayloads,
  copyStoredPayloads,
  storedReferencesOf,
} from '../common/payload-storage/references.js';
import { folderStorage } from '../common/payload-storage/storage.js';
import type { TemporalSettings } from '../common/temporal-settings.js';
import { resolveTemporalBinary } from '../dev-server/binary.js';
import { workflowBundle } from '../worker/bundle.js';

/**
 * Replays a history against today's workflow code; throws DeterminismViolationError on drift. The
 * history is what `fetchHistory()` returns, or the JSON `temporal workflow show --output json` writes
 * (parsed): the replayer converts it itself. Payloads it refers to are read through `dataConverter`
 * (default: this process's payload store, where a fresh run's payloads are).
 */
export async function replayHistory(
  history: unknown,
  workflowId = 'replay',
  dataConverter: DataConverter = steadfastDataConverter()
): Promise<void> {
  const bundle = await workflowBundle();
  const options: ReplayWorkerOptions = {
    workflowBundle: { codePath: bundle.codePath },
    plugins: [new OpenAIAgentsPlugin({ modelProvider: noModels })],
    dataConverter,
  };
  await Worker.runReplayHistory(options, history, workflowId);
}

/**
 * The folder beside a history fixture that holds the payloads it refers to (`x-history.json` →
 * `x-history.payloads/sha256/ab/abcdef…`), committed with it. Histories recorded before payloads
 * were stored outside history have none and need none.
 */
export function fixturePayloadDir(file: string): string {
  return path.join(path.dirname(file), `${path.basename(file, '.json')}.payloads`);
}

/** Replays a fixture; the payloads it refers to are read from its own folder, never from a live store. */
export async function replayHistoryFile(file: string): Promise<void> {
  const storage = folderStorage(
    fixturePayloadDir(file),
    `It was recorded without its payloads: record the fixture again with saveHistory(), which writes them beside ${path.basename(file)}, and commit the folder with it.`
  );
  const history: unknown = JSON.parse(await readFile(file, 'utf8'));
  // Checked first: the replayer reports a payload it cannot read as an unrelated internal error.
  await checkStoredPayloads(history, storage);
  await replayHistory(history, path.basename(file, '.json'), { externalStorage: storage });
}

/**
 * Saves a run's history as the Temporal CLI writes it (`temporal workflow show --output json`), the
 * format the replayer, the Temporal UI and other SDKs read, and the payloads it refers to beside it
 * (fixturePayloadDir), copied from this process's payload store.
 */
export async function saveHistory(
  settings: Pick<TemporalSettings, 'address' | 'namespace'>,
  workflowId: string,
  file: string,
  dataConverter: DataConverter = steadfastDataConverter(),
  /** One run of the workflow (e.g. one that continued as new); default the latest. */
  runId?: string
): Promise<void> {
  const binary = await resolveTemporalBinary({ allowDownload: false });
  const { stdout } = await promisify(execFile)(
    binary.path,
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      ...(runId ? ['--run-id', runId] : []),
      '--address',
      settings.address,
      '--namespace',
      settings.namespace,
      '--output',
      'json',
    ],
    { maxBuffer: 64 * 1024 * 1024 }
  );
  const history: unknown = JSON.parse(stdout);
  const payloadDir = fixturePayloadDir(file);
  // A re-recorded fixture keeps no payload of its previous recording.
  await rm(payloadDir, { recursive: true, force: true });
  if (storedReferencesOf(history).length > 0) {
    if (!dataConverter.externalStorage)
      throw new Error(`${workflowId} refers to stored payloads; no store is configured`);
    await copyStoredPayloads(history, dataConverter.externalStorage, payloadDir);
  }
  await writeFile(file, `${JSON.stringify(history, null, 1)}\n`);
}
