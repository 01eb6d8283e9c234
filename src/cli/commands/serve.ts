import type { Command } from 'commander';
import { UserError } from '../../common/errors.js';
import { startApiServer } from '../../server/serve.js';
import { ensureWebBuild } from '../../server/web-build.js';
import { openEnvironment } from '../environment.js';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the HTTP API and the web UI: start research, answer questions, watch runs live, read reports and timelines.'
    )
    .option('--host <host>', 'address to bind (non-loopback needs STEADFAST_API_TOKEN)', '127.0.0.1')
    .option('--port <port>', 'port', (v) => Number.parseInt(v, 10), 7780)
    .option('--no-ui', 'serve the API only (no web UI build)')
    .option('--no-worker', 'do not run a worker in this process (use separately started `steadfast worker`s)')
    .action(async (opts: { host: string; port: number; ui: boolean; worker: boolean }) => {
      if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)
        throw new UserError(`invalid --port ${opts.port}`);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const staticDir = opts.ui ? await ensureWebBuild(log) : undefined;
      // On the embedded default this process also runs a worker (and the offline model server),
      // unless --no-worker: then runs move only while `steadfast worker` processes run.
      const env = await openEnvironment({ worker: opts.worker ? 'auto' : false, log });
      let server;
      try {
        server = await startApiServer({
          client: env.client,
          settings: env.settings,
          host: opts.host,
          port: opts.port,
          staticDir,
          defaultModel: env.endpoint?.model,
        });
      } catch (err) {
        await env.close();
        throw err;
      }
      process.stdout.write(
        `steadfast: web UI and API on ${server.url}${process.env.STEADFAST_API_TOKEN ? ' (API token required)' : ''}\n`
      );
      if (env.settings.uiUrl) process.stdout.write(`Temporal UI: ${env.settings.uiUrl}\n`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      log('steadfast: stopping the server');
      await server.close();
      await env.close();
    });
}
