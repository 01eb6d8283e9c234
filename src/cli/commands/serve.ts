import type { Command } from 'commander';
import { UserError } from '../../common/errors.js';
import { describeKeyRing, keyRingFromEnv } from '../../common/payload-codec/keys.js';
import { parseAllowedHosts, parseAllowedOrigins } from '../../server/browser-guard.js';
import { resolveCorpusRoots } from '../../server/corpus-roots.js';
import { DEFAULT_LIMITS } from '../../server/limits.js';
import { checkToken, startApiServer } from '../../server/serve.js';
import { ensureWebBuild } from '../../server/web-build.js';
import { openEnvironment } from '../environment.js';

interface ServeFlags {
  host: string;
  port: number;
  ui: boolean;
  worker: boolean;
  corpusRoot: string[];
  allowedHost: string[];
  allowedOrigin: string[];
  codecOrigin: string[];
  rateLimit: number;
  maxRuns: number;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function positiveInt(flag: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new UserError(`invalid ${flag} ${String(value)}`, `pass a whole number of at least 1`);
  return value;
}

/** Checks every flag before anything starts, so a mistake costs one line, not a started environment. */
function checkFlags(opts: ServeFlags) {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535)
    throw new UserError(`invalid --port ${opts.port}`, 'pass a port number from 0 to 65535');
  checkToken(opts.host);
  let allowedHosts: string[];
  let allowedOrigins: string[];
  let codecOrigins: string[];
  try {
    allowedHosts = parseAllowedHosts(opts.allowedHost);
    allowedOrigins = parseAllowedOrigins(opts.allowedOrigin);
    codecOrigins = parseAllowedOrigins(opts.codecOrigin);
  } catch (err) {
    throw new UserError(
      (err as Error).message.replace('--allowed-origin', '--allowed-origin/--codec-origin')
    );
  }
  keyRingFromEnv(); // a malformed encryption key stops here, before anything starts
  return {
    allowedHosts,
    allowedOrigins,
    codecOrigins,
    corpusRoots: resolveCorpusRoots(opts.corpusRoot),
    limits: {
      requestsPerSecond: positiveInt('--rate-limit', opts.rateLimit),
      burst: Math.max(DEFAULT_LIMITS.burst, opts.rateLimit * 30),
      runsPerToken: positiveInt('--max-runs', opts.maxRuns),
    },
  };
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the HTTP API and the web UI: start research, answer questions, watch runs live, read reports and timelines.'
    )
    .option('--host <host>', 'address to bind (non-loopback needs STEADFAST_API_TOKEN)', '127.0.0.1')
    .option('--port <port>', 'port', (v) => Number.parseInt(v, 10), 7780)
    .option(
      '--corpus-root <dir>',
      'a folder under which API clients may name a corpus; repeatable (env STEADFAST_CORPUS_ROOTS, a path list). Without one, API runs use the default corpus only',
      collect,
      []
    )
    .option(
      '--allowed-host <name>',
      'a host name this server answers to besides loopback and the bound address (e.g. behind a proxy); repeatable',
      collect,
      []
    )
    .option(
      '--allowed-origin <origin>',
      'a web origin (https://ui.example.com) allowed to start, answer and cancel runs; repeatable',
      collect,
      []
    )
    .option(
      '--codec-origin <origin>',
      "a Temporal Web UI's origin (https://temporal.example.com) allowed to decode payloads at /codec; the embedded dev server's UI is allowed already; repeatable",
      collect,
      []
    )
    .option(
      '--rate-limit <n>',
      'requests per second per client address',
      (v) => Number.parseInt(v, 10),
      DEFAULT_LIMITS.requestsPerSecond
    )
    .option(
      '--max-runs <n>',
      'runs per API token (or for all clients without one) that may run at once',
      (v) => Number.parseInt(v, 10),
      DEFAULT_LIMITS.runsPerToken
    )
    .option('--no-ui', 'serve the API only (no web UI build)')
    .option('--no-worker', 'do not run a worker in this process (use separately started `steadfast worker`s)')
    .action(async (opts: ServeFlags) => {
      const checked = checkFlags(opts);
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
          ...checked,
        });
      } catch (err) {
        await env.close();
        throw err;
      }
      process.stdout.write(
        `steadfast: web UI and API on ${server.url}${process.env.STEADFAST_API_TOKEN ? ' (API token required)' : ''}\n`
      );
      process.stdout.write(
        server.corpusRoots.length
          ? `corpus roots for API runs: ${server.corpusRoots.join(', ')}\n`
          : 'API runs use the default corpus only (add folders with --corpus-root DIR)\n'
      );
      if (env.settings.uiUrl) process.stdout.write(`Temporal UI: ${env.settings.uiUrl}\n`);
      process.stdout.write(
        `${describeKeyRing(keyRingFromEnv())}; codec endpoint for the Temporal UI and CLI: ${server.url}codec\n`
      );
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
