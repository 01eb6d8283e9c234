// How the dev server stores and dispatches: the SQLite commit mode and the server settings that cut
// a round trip. Pure: environment in, `temporal server start-dev` arguments out.
import { UserError } from '../common/errors.js';

/**
 * `normal`: WAL journal, synchronous=NORMAL — a commit is a write to the WAL without an fsync; the
 * WAL is synced at checkpoints. A crashed or killed server process loses nothing (the OS has the
 * writes); an OS crash or power loss may lose the last transactions (runs roll back to an earlier
 * point of their history and repeat that work). `full`: WAL with an fsync per commit — no loss on
 * power failure, at the cost of an fsync on every workflow and activity transition. `rollback`:
 * SQLite's own defaults (rollback journal, FULL: several fsyncs per commit), what the dev server
 * uses without pragmas; kept to measure against.
 */
export type SqliteSync = 'normal' | 'full' | 'rollback';

const PRAGMAS: Record<SqliteSync, string[]> = {
  normal: ['journal_mode=wal', 'synchronous=normal'],
  full: ['journal_mode=wal', 'synchronous=full'],
  // journal_mode is stored in the file: a store once in WAL must be switched back explicitly.
  rollback: ['journal_mode=delete', 'synchronous=full'],
};

export const SQLITE_SYNC_VAR = 'STEADFAST_SQLITE_SYNC';

/** Reads STEADFAST_SQLITE_SYNC (default `normal`); anything else is a UserError naming the choices. */
export function sqliteSyncFromEnv(env: NodeJS.ProcessEnv = process.env): SqliteSync {
  const raw = env[SQLITE_SYNC_VAR]?.trim().toLowerCase();
  if (!raw || raw === 'normal') return 'normal';
  if (raw === 'full' || raw === 'rollback') return raw;
  throw new UserError(
    `${SQLITE_SYNC_VAR}=${JSON.stringify(env[SQLITE_SYNC_VAR])} is not a commit mode of the dev server's store`,
    `set it to \`normal\` (the default: no fsync per commit; an OS crash may lose the last transactions), \`full\` (an fsync per commit) or \`rollback\` (SQLite's defaults, slowest)`
  );
}

/**
 * Dynamic config the embedded server runs with.
 *
 * Eager activity dispatch hands an activity on the workflow's own queue back in the reply to the
 * workflow task that scheduled it, without a trip through matching (the Temporal CLI enables it too;
 * it is set here so it does not depend on that).
 *
 * The history service moves each new task (a workflow task after an activity completes, an activity
 * task, a timer, a visibility record) from its queues to matching with readers whose polls are
 * rate-limited, by default to 20 per second per queue: sized for a shared cluster's database. Under
 * a steady stream of steps, one run's or many, every workflow task then waits for the next permitted
 * poll — about 40 ms of a 48 ms no-op activity round trip here (a burst after a pause goes through at
 * once, which hides it in short measurements). One process on its own SQLite file has no one to share
 * with: the limits are raised so a task moves as soon as it is written. A self-hosted cluster sets
 * these keys in its own dynamic config (docs/benchmarks.md).
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, unknown>> = {
  'system.enableActivityEagerExecution': true,
  'history.transferProcessorMaxPollRPS': 1000,
  'history.timerProcessorMaxPollRPS': 1000,
  'history.visibilityProcessorMaxPollRPS': 1000,
};

/**
 * The store and dispatch arguments of `temporal server start-dev`; `dbFile` undefined = in memory.
 * `dynamicConfig` overrides keys of DEV_SERVER_DYNAMIC_CONFIG (`null` leaves a key at the server's
 * default: the benchmarks measure each setting against it).
 */
export function storeArgs(
  dbFile: string | undefined,
  sync: SqliteSync,
  dynamicConfig: Readonly<Record<string, unknown>> = {}
): string[] {
  return [
    ...(dbFile === undefined ? [] : ['--db-filename', dbFile]),
    ...tuningArgs(dbFile !== undefined, sync, dynamicConfig),
  ];
}

/** The same without the file name (for a launcher that takes the file name apart). */
export function tuningArgs(
  onFile: boolean,
  sync: SqliteSync,
  dynamicConfig: Readonly<Record<string, unknown>> = {}
): string[] {
  const pragmas = onFile ? PRAGMAS[sync].flatMap((p) => ['--sqlite-pragma', p]) : [];
  const settings = { ...DEV_SERVER_DYNAMIC_CONFIG, ...dynamicConfig };
  const config = Object.entries(settings)
    .filter(([, value]) => value !== null && value !== undefined)
    .flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
  return [...pragmas, ...config];
}

/** One line for logs and reports: where the state lives and how it commits. */
export function describeStore(dbFile: string | undefined, sync: SqliteSync): string {
  return dbFile === undefined
    ? 'in memory (state is lost when the server stops)'
    : `SQLite ${dbFile} (${PRAGMAS[sync].join(', ')})`;
}
