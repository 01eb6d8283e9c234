import type { Command } from 'commander';
import { loadTimeline } from '../../client/timeline/load.js';
import { formatTimeline } from '../../client/timeline/timeline.js';
import { openEnvironment } from '../environment.js';

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description(
      "Print a run's timeline: each durable step from its event history, joined with the trace spans inside it."
    )
    .argument('<workflowId>')
    .option('--json', 'print the joined timeline as JSON')
    .action(async (workflowId: string, opts: { json?: boolean }) => {
      const env = await openEnvironment({ worker: false });
      try {
        const timeline = await loadTimeline(env.client, env.settings, workflowId);
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(timeline)}\n`
            : `${formatTimeline(timeline, { status: timeline.execution })}\n`
        );
      } finally {
        await env.close();
      }
    });
}
