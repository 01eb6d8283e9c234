import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { OpenAIAgentsPlugin } from '@temporalio/openai-agents';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { noModels } from '../common/no-models.js';
import { workflowBundle } from '../worker/bundle.js';

/** Replays a recorded history against today's workflow code; throws DeterminismViolationError on drift. */
export async function replayHistory(history: unknown, workflowId = 'replay'): Promise<void> {
  const bundle = await workflowBundle();
  const options: ReplayWorkerOptions = {
    workflowBundle: { codePath: bundle.codePath },
    plugins: [new OpenAIAgentsPlugin({ modelProvider: noModels })],
  };
  const parsed =
    typeof history === 'string' ? historyFromJSON(JSON.parse(history)) : historyFromJSON(history);
  await Worker.runReplayHistory(options, parsed, workflowId);
}

export async function replayHistoryFile(file: string): Promise<void> {
  await replayHistory(await readFile(file, 'utf8'), path.basename(file, '.json'));
}

/** Saves a run's history as the JSON that `temporal workflow show --output json` also writes. */
export async function saveHistory(handle: WorkflowHandle, file: string): Promise<void> {
  const history = await handle.fetchHistory();
  await writeFile(file, JSON.stringify(JSON.parse(historyToJSON(history)), null, 1));
}
