import { execFile } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Model, ModelProvider } from '@openai/agents-core';
import { packageRoot } from '../../src/common/paths.js';
import type { TemporalSettings } from '../../src/common/temporal-settings.js';
import { createModelProvider, offlineEndpoint } from '../../src/worker/model-provider.js';

export const QUESTION = 'How do I add human approval to a durable agent?';

/** One model call as the model saw it: what the model activity handed the provider, and what came back. */
export interface ModelCall {
  instructions?: string;
  input: unknown;
  output: unknown;
}

/** The real provider on the offline model server, recording each request it is given and its response. */
export function recordingProvider(baseURL: string, calls: ModelCall[]): ModelProvider {
  const inner = createModelProvider(offlineEndpoint(baseURL));
  const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
  return {
    async getModel(name?: string): Promise<Model> {
      const model = await inner.getModel(name);
      return {
        getResponse: async (request) => {
          const response = await model.getResponse(request);
          calls.push({
            instructions: request.systemInstructions,
            input: json(request.input),
            output: json(response.output),
          });
          return response;
        },
        getStreamedResponse: (request) => model.getStreamedResponse(request),
      };
    },
  };
}

/** `steadfast <args>` against the test's Temporal, with this process's environment (data dir, payload store). */
export async function cli(
  settings: Pick<TemporalSettings, 'address' | 'taskQueue'>,
  args: string[]
): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [path.join(packageRoot, 'bin', 'steadfast.js'), ...args], {
    env: { ...process.env, TEMPORAL_ADDRESS: settings.address, STEADFAST_TASK_QUEUE: settings.taskQueue },
    maxBuffer: 20 * 1024 * 1024,
  });
}

/**
 * A GET on the API server at `base`: its status and JSON body. Through node:http, which sends the
 * headers as given (fetch replaces a Host header with the URL's).
 */
export function get(
  base: string,
  url: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(url, base), { headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch (err) {
          reject(new Error(`GET ${url}: ${res.statusCode} ${text.slice(0, 200)}`, { cause: err }));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
