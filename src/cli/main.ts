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
import { registerHarnessCommands } from './harness-commands.js';

/**
 * Builds the `steadfast` command tree. Each command lives in its own module under commands/; the
 * harness commands (chaos, bench, compare…) live in bench/, reached through harness-commands.ts.
 */
export async function buildProgram(): Promise<Command> {
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
  await registerHarnessCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
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
