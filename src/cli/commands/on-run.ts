import type { Command } from 'commander';

/** A command on one run: `steadfast <name> <workflowId> …`. */
export function onRun(program: Command, name: string, description: string): Command {
  return program.command(name).description(description).argument('<workflowId>');
}
