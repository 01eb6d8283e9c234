#!/usr/bin/env node
// Entry point of the `steadfast` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

// Agent tracing stays on: workers store spans in the local trace store (src/tracing/), and send
// them to OpenAI's hosted dashboard only when a real OpenAI key is configured.
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
