#!/usr/bin/env node
// Entry point of the `steadfast` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

// Without a real OpenAI key the SDK's span creation is switched off: workers still store the spans
// the workflow forwards (agents, tools, handoffs) in the local trace store (src/tracing/), but model
// activities started from this entry point find no trace context, and creating spans there would
// print "No traceId found" for every model call. (Under `node --import tsx`, as in the tests, model
// spans are recorded and joined; see docs/web.md.)
if (!process.env.OPENAI_API_KEY && process.env.OPENAI_AGENTS_DISABLE_TRACING === undefined) {
  process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';
}
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
