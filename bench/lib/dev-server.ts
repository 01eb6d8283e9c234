/** The harness's Temporal dev server: its own data dir and free ports, restartable on the same db. */
import { freePort } from '../../src/common/ports.js';
import { ensureDevServer, type DevServerHandle } from '../../src/dev-server/dev-server.js';

export interface DevServer {
  readonly address: string;
  readonly uiUrl: string;
  /** Stops the server and starts it again on the same db and ports; resolves with the downtime in ms. */
  restart(): Promise<number>;
}

export async function startDevServer(
  dataDir: string,
  log: (line: string) => void
): Promise<DevServer & { stop(): Promise<void> }> {
  let ports = { port: 0, uiPort: 0 };
  const start = () =>
    ensureDevServer({ dataDir, host: '127.0.0.1', ...ports, detached: false, log: (l) => log(`  ${l}`) });
  let handle: DevServerHandle | undefined;
  // Another process may bind a free port between the probe and the server's own bind (the server
  // then dies with "address already in use"): once, try again on fresh ports.
  for (let attempt = 1; !handle; attempt++) {
    ports = { port: await freePort(), uiPort: await freePort() };
    try {
      handle = await start();
    } catch (err) {
      if (attempt >= 2) throw err;
      log(`  the dev server did not start on port ${ports.port}; trying fresh ports`);
    }
  }
  let current = handle;
  return {
    address: current.address,
    uiUrl: current.uiUrl,
    async restart() {
      const t0 = Date.now();
      await current.stop();
      current = await start();
      return Date.now() - t0;
    },
    stop: () => current.stop(),
  };
}
