// Every workflow the worker registers. Code under src/workflows runs in Temporal's deterministic
// sandbox: it may import only @openai/agents-core, @temporalio/workflow and the plugin's /workflow entry.
export { hello } from './hello.js';
export { research } from './research.js';
export { rollbackWrite } from './rollback.js';
export { conversation } from './conversation.js';
export { benchAgentWorkflow, benchFanoutWorkflow, benchNoopWorkflow } from './bench.js';
