#!/usr/bin/env node
// Entry point of the `steadfast` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

// Agent traces go to OpenAI's hosted dashboard only when a real OpenAI key is configured;
// otherwise the SDK's default exporter would only print warnings.
if (!process.env.OPENAI_API_KEY && process.env.OPENAI_AGENTS_DISABLE_TRACING === undefined) {
  process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';
}
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
