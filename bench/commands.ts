/**
 * The harness commands of the `steadfast` CLI. src/cli loads this file by URL at run time (bench/
 * may import src/, never the reverse) and calls `registerHarnessCommands`, whose contract it
 * declares. Each harness keeps its command in its own command.ts, which exports `register`.
 */
import type { Command } from 'commander';
import type { HarnessCommands } from '../src/cli/harness-commands.js';

/** What each harness's command.ts exports. */
export interface HarnessCommand {
  /** Adds the command and its options; the harness itself is loaded only when the command runs. */
  register(program: Command): void;
}

/** In the order `steadfast --help` lists them: a new harness command is one more line. */
const COMMAND_MODULES = [
  './chaos/command.js', // research runs under worker kills and faults, every run checked
  './bench/command.js', // the orchestration cost of durable agents
  './compare/command.js', // the research task three ways under the same faults
  './eval/command.js', // research quality on third-party question sets
  './conversation/command.js', // bounded conversation history over hundreds of turns, under worker kills
];

export const registerHarnessCommands: HarnessCommands['registerHarnessCommands'] = async (program) => {
  const modules = await Promise.all(
    COMMAND_MODULES.map((file) => import(file) as Promise<Partial<HarnessCommand>>)
  );
  modules.forEach((command, i) => {
    if (typeof command.register !== 'function')
      throw new Error(`bench/${COMMAND_MODULES[i]!.slice(2)} must export register(program)`);
    command.register(program);
  });
};
