import { Command, CommanderError } from 'commander';
import { UserError } from '../common/errors.js';
import { registerDevServerCommand } from './commands/dev-server.js';
import { registerModelServerCommand } from './commands/model-server.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerHelloCommand } from './commands/hello.js';
import { registerResearchCommand } from './commands/research.js';
import { registerRunCommands } from './commands/runs.js';
import { registerServeCommand } from './commands/serve.js';
import { registerInspectCommand } from './commands/inspect.js';
import { registerChaosCommand } from './commands/chaos.js';
import { registerBenchCommand } from './commands/bench.js';
import { registerCompareCommand } from './commands/compare.js';

/** Builds the `steadfast` command tree. Each command lives in its own module under commands/. */
export function buildProgram(): Command {
  const program = new Command('steadfast')
    .description('Durable AI agents: OpenAI Agents SDK orchestrated by Temporal workflows.')
    .showHelpAfterError()
    .exitOverride();
  registerDevServerCommand(program);
  registerModelServerCommand(program);
  registerWorkerCommand(program);
  registerResearchCommand(program);
  registerRunCommands(program);
  registerServeCommand(program);
  registerInspectCommand(program);
  registerHelloCommand(program);
  registerChaosCommand(program);
  registerBenchCommand(program);
  registerCompareCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof UserError) {
      process.stderr.write(`steadfast: ${err.message}\n`);
      if (err.hint) process.stderr.write(`  fix: ${err.hint}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
}
