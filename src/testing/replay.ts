import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { OpenAIAgentsPlugin } from '@temporalio/openai-agents';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';
import { noModels } from '../common/no-models.js';
import type { TemporalSettings } from '../common/temporal-settings.js';
import { resolveTemporalBinary } from '../dev-server/binary.js';
import { workflowBundle } from '../worker/bundle.js';

/**
 * Replays a history against today's workflow code; throws DeterminismViolationError on drift. The
 * history is what `fetchHistory()` returns, or the JSON `temporal workflow show --output json` writes
 * (parsed): the replayer converts it itself.
 */
export async function replayHistory(history: unknown, workflowId = 'replay'): Promise<void> {
  const bundle = await workflowBundle();
  const options: ReplayWorkerOptions = {
    workflowBundle: { codePath: bundle.codePath },
    plugins: [new OpenAIAgentsPlugin({ modelProvider: noModels })],
  };
  await Worker.runReplayHistory(options, history, workflowId);
}

export async function replayHistoryFile(file: string): Promise<void> {
  await replayHistory(JSON.parse(await readFile(file, 'utf8')), path.basename(file, '.json'));
}

/**
 * Saves a run's history as the Temporal CLI writes it (`temporal workflow show --output json`), the
 * format the replayer, the Temporal UI and other SDKs read.
 */
export async function saveHistory(
  settings: Pick<TemporalSettings, 'address' | 'namespace'>,
  workflowId: string,
  file: string
): Promise<void> {
  const binary = await resolveTemporalBinary({ allowDownload: false });
  const { stdout } = await promisify(execFile)(
    binary.path,
    [
      'workflow',
      'show',
      '--workflow-id',
      workflowId,
      '--address',
      settings.address,
      '--namespace',
      settings.namespace,
      '--output',
      'json',
    ],
    { maxBuffer: 64 * 1024 * 1024 }
  );
  await writeFile(file, `${JSON.stringify(JSON.parse(stdout), null, 1)}\n`);
}
