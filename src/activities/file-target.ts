// The user's file a run may write: read as it is now (refusing folders, links and other non-files,
// with the fix in the message) and replaced atomically (a temporary file beside it, fsynced, then
// renamed over it), so that a reader sees the old bytes or the new ones, never a mix.
import { createHash, randomUUID } from 'node:crypto';
import { lstat, open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { FILE_TARGET_ERRORS } from './file-errors.js';
import { syncFolder } from './sync-folder.js';

/** Larger files are not replaced: a report or checklist does not overwrite a 16 MB file. */
export const MAX_TARGET_BYTES = 16 * 1024 * 1024;

export interface TargetState {
  exists: boolean;
  bytes?: Buffer;
  sha256?: string;
  /** Permission bits of the existing file, kept by a replacement. */
  mode?: number;
}

export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function refuse(type: (typeof FILE_TARGET_ERRORS)[number], message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** The file as it is now (absent is a state, not an error); anything but a regular file is refused. */
export async function readTarget(file: string): Promise<TargetState> {
  let info;
  try {
    info = await lstat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const folder = path.dirname(file);
    const parent = await stat(folder).catch(() => undefined);
    if (!parent?.isDirectory())
      throw refuse(
        'WriteTargetFolderMissing',
        `cannot write ${file}: the folder ${folder} does not exist on the worker's machine; create it first`
      );
    return { exists: false };
  }
  if (info.isDirectory())
    throw refuse(
      'WriteTargetIsFolder',
      `cannot write ${file}: it is a folder; name the file to write, e.g. ${path.join(file, 'checklist.md')}`
    );
  if (info.isSymbolicLink())
    throw refuse(
      'WriteTargetNotAFile',
      `cannot write ${file}: it is a symbolic link; name the file it points to instead (a rename would replace the link itself)`
    );
  if (!info.isFile()) throw refuse('WriteTargetNotAFile', `cannot write ${file}: it is not a regular file`);
  if (info.size > MAX_TARGET_BYTES)
    throw refuse(
      'WriteTargetTooLarge',
      `cannot write ${file}: it holds ${info.size} bytes, more than the ${MAX_TARGET_BYTES} a run replaces; name another file`
    );
  const bytes = await readFile(file);
  return { exists: true, bytes, sha256: sha256(bytes), mode: info.mode & 0o7777 };
}

/**
 * Replaces (or creates) `file` with `bytes`: a temporary file in the same folder is written and
 * fsynced, then renamed over the file (atomic on one file system), then the folder is fsynced.
 */
export async function replaceFile(file: string, bytes: Buffer, mode = 0o644): Promise<void> {
  const folder = path.dirname(file);
  const temp = path.join(folder, `.${path.basename(file)}.steadfast-${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(bytes);
      // The umask may have narrowed the mode at creation: set it as the file had it.
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncFolder(folder);
}

/** Removes `file` (a rollback of a file the run created) and makes the removal durable. */
export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
  await syncFolder(path.dirname(file));
}
