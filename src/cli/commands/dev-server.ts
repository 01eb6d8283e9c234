import { Command, InvalidArgumentError } from 'commander';
import { resolve } from 'node:path';
import { defaultDataDir, ensureDevServer } from '../../dev-server/dev-server.js';
import { runningDevServer, stopDetachedDevServer } from '../../dev-server/process-files.js';

interface DevServerFlags {
  dataDir?: string;
  host: string;
  port: number;
  uiPort?: number;
  namespace: string;
  detach?: boolean;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidArgumentError('expected a port 1-65535');
  return port;
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`${line}\n`);

export function registerDevServerCommand(program: Command): void {
  const devServer = program
    .command('dev-server')
    .description(
      'Run the local Temporal dev server (persistent SQLite store, Web UI) or reuse the one already listening.'
    )
    .option(
      '--data-dir <dir>',
      'where temporal.db and the server log live (env STEADFAST_DATA_DIR; default ./.steadfast)'
    )
    .option('--host <ip>', 'interface to bind', '127.0.0.1')
    .option('--port <port>', 'gRPC port', parsePort, 7233)
    .option('--ui-port <port>', 'Web UI port (default: port + 1000)', parsePort)
    .option('--namespace <ns>', 'namespace to create', 'default')
    .option('--detach', 'start in the background and return (stop it with `steadfast dev-server stop`)')
    .action(async (flags: DevServerFlags) => {
      const dataDir = resolve(flags.dataDir ?? defaultDataDir());
      const server = await ensureDevServer({
        dataDir,
        host: flags.host,
        port: flags.port,
        uiPort: flags.uiPort,
        namespace: flags.namespace,
        detached: flags.detach ?? false,
        log: note,
      });
      if (server.reused) {
        say(`reusing the Temporal server already listening on ${server.address}`);
        say(`  namespace: ${server.namespace}`);
        say(`  Web UI:    ${server.uiUrl}`);
        return;
      }
      say(`Temporal dev server ${server.pid !== undefined ? `(pid ${server.pid}) ` : ''}is up`);
      say(`  binary:    ${server.binary?.path} (${server.binary?.source})`);
      say(`  gRPC:      ${server.address}   (namespace ${server.namespace})`);
      say(`  Web UI:    ${server.uiUrl}`);
      say(`  database:  ${server.dbFile}`);
      say(`  log:       ${resolve(dataDir, 'temporal-server.log')}`);
      if (flags.detach && server.pid !== undefined) {
        say('running in the background; stop it with `steadfast dev-server stop' + dataDirFlag(flags) + '`');
        return;
      }
      say('press Ctrl-C to stop');
      await new Promise<void>((done) => {
        const onSignal = (signal: NodeJS.Signals) => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          note(`${signal}: stopping the Temporal dev server…`);
          done();
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      await server.stop();
      say('Temporal dev server stopped');
    });

  devServer
    .command('stop')
    .description('Stop the dev server started in the background (--detach) for a data dir.')
    .option('--data-dir <dir>', 'data dir of the server (env STEADFAST_DATA_DIR; default ./.steadfast)')
    .action(async (flags: { dataDir?: string }, cmd: Command) => {
      const given = flags.dataDir ?? (cmd.parent?.opts() as DevServerFlags | undefined)?.dataDir;
      const dataDir = resolve(given ?? defaultDataDir());
      const running = runningDevServer(dataDir);
      if (!(await stopDetachedDevServer(dataDir)) || !running) {
        say(`no Temporal dev server started by steadfast is running for ${dataDir}`);
        return;
      }
      say(`stopped the Temporal dev server on ${running.address} (pid ${running.pid})`);
    });
}

function dataDirFlag(flags: DevServerFlags): string {
  return flags.dataDir ? ` --data-dir ${flags.dataDir}` : '';
}
