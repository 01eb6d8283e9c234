/**
 * Artifact store: files produced by a workflow run (report.md, report.pdf, …), kept on disk
 * under `<dataDir>/artifacts/<safe(workflowId)>/<name>`.
 *
 * Writes are atomic per key: the bytes go to a unique temp file in the same folder, are
 * fsynced, and the temp file is renamed over the final name. Whatever happens (activity retry,
 * two attempts racing, the process dying mid-write) a key ends as exactly one complete file;
 * leftover temp files are invisible to readers and removed by the next write of that key.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { dataDir } from '../common/paths.js';
import type { ArtifactRef } from '../common/research-types.js';
import { safeWorkflowFolder } from '../common/run-folders.js';
import { syncFolder } from './sync-folder.js';

export interface ArtifactEntry {
  name: string;
  path: string;
  bytes: number;
}

/** `<dataDir>/artifacts`, read from the environment at call time. */
export function artifactRoot(): string {
  return path.join(dataDir(), 'artifacts');
}

const SAFE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * Artifact names are flat file names: letters, digits, `._-`, not starting with a dot (dot
 * names are reserved for temp files), no `..`, at most 128 chars. Anything else — notably
 * `../x`, `a/b`, absolute paths — is rejected, not rewritten.
 */
export function assertArtifactName(name: string): void {
  if (typeof name !== 'string' || !SAFE_NAME.test(name) || name.includes('..')) {
    throw invalid(
      'InvalidArtifactName',
      `invalid artifact name ${JSON.stringify(name)}: use a plain file name such as "report.pdf" (letters, digits, . _ -; no path separators or "..")`
    );
  }
}

function invalid(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

function folderFor(workflowId: string): string {
  const root = artifactRoot();
  const folder = path.join(root, safeWorkflowFolder(workflowId));
  // Belt and braces: the folder must be a direct child of the root.
  if (path.dirname(folder) !== root) {
    throw invalid(
      'InvalidArtifactKey',
      `workflow id ${JSON.stringify(workflowId)} escapes the artifact root`
    );
  }
  return folder;
}

function finalPath(workflowId: string, name: string): string {
  assertArtifactName(name);
  return path.join(folderFor(workflowId), name);
}

/** Path the artifact (workflowId, name) has (or will have); does not touch the disk. */
export function artifactPath(workflowId: string, name: string): string {
  return finalPath(workflowId, name);
}

const tempPrefix = (name: string): string => `.${name}.`;
const TEMP_SUFFIX = '.tmp';
const isTempOf = (file: string, name: string): boolean =>
  file.startsWith(tempPrefix(name)) && file.endsWith(TEMP_SUFFIX);

/**
 * Writes (or overwrites) the artifact (workflowId, name) atomically and returns its reference.
 * Safe to repeat: the same key always ends as one file.
 */
export async function writeArtifact(
  workflowId: string,
  name: string,
  data: Buffer | string
): Promise<ArtifactRef> {
  const target = finalPath(workflowId, name);
  const folder = path.dirname(target);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await mkdir(folder, { recursive: true });

  // A concurrent writer of the same key may clean up our temp file between write and rename
  // (it saw it as a leftover). The key then already holds a complete file; we still redo our
  // own write so that the final content is ours — bounded, it cannot loop forever.
  for (let attempt = 1; ; attempt++) {
    const temp = path.join(folder, `${tempPrefix(name)}${process.pid}.${randomUUID()}${TEMP_SUFFIX}`);
    try {
      const handle = await open(temp, 'wx', 0o644);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, target);
      break;
    } catch (err) {
      await rm(temp, { force: true }).catch(() => undefined);
      if (attempt < 3 && (err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
  }
  await syncFolder(folder);
  await removeLeftoverTemps(folder, name);
  return { path: target, bytes: bytes.length, sha256 };
}

async function removeLeftoverTemps(folder: string, name: string): Promise<void> {
  const files = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(
    files
      .filter((file) => isTempOf(file, name))
      .map((file) => rm(path.join(folder, file), { force: true }).catch(() => undefined))
  );
}

/** Final artifacts of a workflow, sorted by name (temp files are never listed). */
export async function listArtifacts(workflowId: string): Promise<ArtifactEntry[]> {
  const folder = folderFor(workflowId);
  let files: string[];
  try {
    files = await readdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const entries: ArtifactEntry[] = [];
  for (const file of files.sort()) {
    if (file.startsWith('.')) continue;
    const full = path.join(folder, file);
    const info = await stat(full).catch(() => undefined);
    if (info?.isFile()) entries.push({ name: file, path: full, bytes: info.size });
  }
  return entries;
}

/** Content of the artifact (workflowId, name); `ArtifactNotFound` if it was never written. */
export async function readArtifact(workflowId: string, name: string): Promise<Buffer> {
  const target = finalPath(workflowId, name);
  try {
    return await readFile(target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw invalid(
        'ArtifactNotFound',
        `no artifact "${name}" for workflow ${workflowId} (looked in ${target})`
      );
    }
    throw err;
  }
}
