import { createRequire } from 'node:module';

/**
 * The CommonJS builds of the Agents SDK and the OpenAI client, for worker-side code.
 *
 * @temporalio/openai-agents is CommonJS: its model activity keeps the trace context in the CJS
 * instance of @openai/agents-core and classifies failures with `instanceof` against the CJS build
 * of openai. Importing the ESM builds here would load second copies whose trace provider,
 * processors and error classes are invisible to the plugin (model spans would be lost, a 429 would
 * not be recognised as a rate limit). Everything on the worker side goes through these.
 */
const require = createRequire(import.meta.url);

export const agentsCore = require('@openai/agents-core') as typeof import('@openai/agents-core');
export const agentsOpenAI = require('@openai/agents-openai') as typeof import('@openai/agents-openai');
export const openai = require('openai') as typeof import('openai');
