import { Command, CommanderError } from 'commander';
import { UserError } from '../common/errors.js';
import { registerDevServerCommand } from './commands/dev-server.js';
import { registerModelServerCommand } from './commands/model-server.js';
import { registerWorkerCommand } from './commands/worker.js';
import { registerHelloCommand } from './commands/hello.js';
import { registerResearchCommand } from './commands/research.js';
import { registerAskCommand } from './commands/ask.js';
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
    // A usage mistake is one line and exit 2, like every other user error (subcommands inherit this).
    .configureOutput({ outputError: (text, write) => write(usageError(text)) })
    .exitOverride();
  registerDevServerCommand(program);
  registerModelServerCommand(program);
  registerWorkerCommand(program);
  registerResearchCommand(program);
  registerAskCommand(program);
  registerRunCommands(program);
  registerServeCommand(program);
  registerInspectCommand(program);
  registerHelloCommand(program);
  await registerHarnessCommands(program);
  return program;
}

/** Commander's "error: unknown option '--x'\n(Did you mean --y?)" as `steadfast: …` and a fix line. */
function usageError(text: string): string {
  const line = text
    .replace(/^error:\s*/i, '')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
  return `steadfast: ${line}\n  fix: add --help to the command for its usage\n`;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version exit 0; anything else is a usage error.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
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
