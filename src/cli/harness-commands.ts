/**
 * The harness commands (chaos, bench, compare…) are defined in bench/, which may import src/ but
 * never the reverse: the CLI loads bench/commands.ts through a file URL computed at run time and
 * holds it to the contract below, which that module declares it implements.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { packageRoot } from '../common/paths.js';

export interface HarnessCommands {
  /** Adds the harness commands to the program; what they run is loaded only when one of them runs. */
  registerHarnessCommands(program: Command): Promise<void>;
}

const HARNESS_COMMANDS = path.join(packageRoot, 'bench', 'commands.ts');

/** Registers the harness commands; an installation without bench/ simply has none. */
export async function registerHarnessCommands(program: Command): Promise<void> {
  if (!existsSync(HARNESS_COMMANDS)) return;
  const commands = (await import(pathToFileURL(HARNESS_COMMANDS).href)) as HarnessCommands;
  await commands.registerHarnessCommands(program);
}
