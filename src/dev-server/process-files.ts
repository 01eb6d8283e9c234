// The dev server's process and its files in the data dir: pid file, log, stopping it.
import { type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DevServerPidFile } from './dev-server.js';

export const PID_FILE = 'temporal-server.pid';
export const LOG_FILE = 'temporal-server.log';
const STOP_GRACE_MS = 10_000;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // Guard against pid reuse (and count zombies as dead) where /proc tells us the command line.
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true;
  }
  let state: string | undefined;
  try {
    state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
  } catch {
    state = undefined;
  }
  return aliveFromProc(cmdline, state);
}

/**
 * Whether /proc describes a live dev server: its command line names `start-dev`; or the command
 * line is already gone (a process that is exiting releases it first) but the process is not yet
 * a zombie (Z) or dead (X) — it still holds its port and files until then.
 */
export function aliveFromProc(cmdline: string, state: string | undefined): boolean {
  if (cmdline.length > 0) return cmdline.includes('start-dev');
  return state !== undefined && state !== 'Z' && state !== 'X';
}

export function readPidFile(dataDir: string): DevServerPidFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, PID_FILE), 'utf8')) as DevServerPidFile;
    return Number.isInteger(parsed.pid) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function removePidFile(dataDir: string, pid: number): void {
  if (readPidFile(dataDir)?.pid === pid) rmSync(join(dataDir, PID_FILE), { force: true });
}

/** The line of a Go program's log that says why it stopped ("panic: …", "fatal error: …"). */
const CAUSE = /^(?:panic|fatal error): /;

/**
 * The server's last start as its log has it (each start opens with a "--- <time> <command>" line):
 * its last lines, after the line that says why it stopped when that came earlier (a panic's message
 * sits above its stack's frames).
 */
export function logTail(dataDir: string, lines = 15): string {
  let text: string;
  try {
    text = readFileSync(join(dataDir, LOG_FILE), 'utf8').trimEnd();
  } catch {
    return '(no log)';
  }
  const all = text.split('\n');
  let from = all.length - 1;
  while (from > 0 && !all[from]!.startsWith('--- ')) from--;
  const run = all.slice(from);
  const tail = run.slice(-lines);
  const cause = run.findIndex((l) => CAUSE.test(l));
  return (cause >= 0 && cause < run.length - lines ? [run[cause]!, '…', ...tail] : tail).join('\n');
}

export async function waitUntilDead(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
export async function terminate(pid: number, child?: ChildProcess): Promise<void> {
  const exited = child
    ? new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) done();
        else child.once('exit', () => done());
      })
    : undefined;
  const waitFor = async (ms: number): Promise<boolean> => {
    if (!exited) return waitUntilDead(pid, ms);
    const timer = new AbortController();
    const timeout = sleep(ms, false, { signal: timer.signal }).catch(() => false);
    try {
      return await Promise.race([exited.then(() => true), timeout]);
    } finally {
      timer.abort();
    }
  };
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  if (await waitFor(STOP_GRACE_MS)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  await waitFor(5000);
}

/**
 * Stops the server recorded in <dataDir>/temporal-server.pid (started by ensureDevServer).
 * Resolves to false when no such server is running.
 */
export async function stopDetachedDevServer(dataDir: string): Promise<boolean> {
  const record = readPidFile(dataDir);
  if (!record) return false;
  if (!isAlive(record.pid)) {
    removePidFile(dataDir, record.pid);
    return false;
  }
  await terminate(record.pid);
  removePidFile(dataDir, record.pid);
  return true;
}

/** Reads the pid file of a running server in dataDir, if any. */
export function runningDevServer(dataDir: string): DevServerPidFile | undefined {
  const record = readPidFile(dataDir);
  return record && isAlive(record.pid) ? record : undefined;
}
