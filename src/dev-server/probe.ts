// Is a Temporal server listening at an address, and does it have our namespace? Network probes only.
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common';
import { UserError } from '../common/errors.js';

const GRPC_NOT_FOUND = 5;

export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function parseAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  if (i <= 0)
    throw new UserError(`invalid Temporal address "${address}"`, 'use host:port, e.g. 127.0.0.1:7233');
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  const port = Number(address.slice(i + 1));
  if (!Number.isInteger(port) || port <= 0 || port > 65535)
    throw new UserError(
      `invalid port in Temporal address "${address}"`,
      'use host:port, e.g. 127.0.0.1:7233'
    );
  return { host, port };
}

/** True when something accepts TCP connections on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    const finish = (open: boolean) => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/**
 * Runs fn against a short-lived client connection that is always closed afterwards. gRPC's own
 * deadline timers do not keep Node alive, so a referenced timer enforces the timeout too —
 * otherwise a CLI with nothing else pending could exit in the middle of the check.
 */
async function withConnection<T>(
  address: string,
  timeoutMs: number,
  fn: (conn: Connection) => Promise<T>
): Promise<T> {
  // No retry interceptor: a probe is one attempt, and its retries would outlive the closed channel.
  const conn = Connection.lazy({ address, connectTimeout: timeoutMs, interceptors: [] });
  const timer = new AbortController();
  const timeout = sleep(timeoutMs + 250, undefined, { signal: timer.signal }).then(() => {
    throw new Error(`no answer from ${address} within ${timeoutMs} ms`);
  });
  timeout.catch(() => {});
  try {
    return await Promise.race([conn.withDeadline(Date.now() + timeoutMs, () => fn(conn)), timeout]);
  } finally {
    timer.abort();
    await conn.close().catch(() => {});
  }
}

/** True when a Temporal frontend answers GetSystemInfo on address (host:port) within timeoutMs. */
export async function isTemporalListening(address: string, timeoutMs = 2000): Promise<boolean> {
  const { host, port } = parseAddress(address);
  if (!(await isPortOpen(host, port, timeoutMs))) return false;
  try {
    const info = await withConnection(address, timeoutMs, (conn) => conn.workflowService.getSystemInfo({}));
    return info != null;
  } catch {
    return false;
  }
}

/** Makes sure the namespace exists on the server, registering it when missing. */
export async function ensureNamespace(
  address: string,
  namespace: string,
  log: (line: string) => void
): Promise<void> {
  const describe = () =>
    withConnection(address, 5000, (conn) => conn.workflowService.describeNamespace({ namespace })).then(
      () => true,
      (err: { code?: number }) => {
        if (err?.code === GRPC_NOT_FOUND) return false;
        throw err;
      }
    );
  if (await describe()) return;
  log(`registering namespace "${namespace}" on ${address}`);
  await withConnection(address, 5000, (conn) =>
    conn.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('3 days') })
  ).catch((err: { code?: number }) => {
    if (err?.code !== 6 /* ALREADY_EXISTS */) throw err;
  });
  const deadline = Date.now() + 15_000;
  while (!(await describe())) {
    if (Date.now() > deadline)
      throw new UserError(`namespace "${namespace}" did not become available on ${address}`);
    await sleep(250);
  }
}
