import { lstatSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../common/errors.js';

/**
 * The file a run may write (--write-to, the API's writeTo), resolved to an absolute path and
 * checked where the client runs: not a folder, not a link, in a folder that exists. The worker
 * checks again before the diff and the write (the file is on the workers' machines).
 */
export function resolveWriteTarget(given: string, cwd = process.cwd()): string {
  if (given.trim() === '')
    throw new UserError('--write-to needs a file name', 'e.g. --write-to MIGRATION.md');
  const file = path.resolve(cwd, given);
  if (/[/\\]$/.test(given))
    throw new UserError(
      `--write-to ${given} names a folder`,
      `name the file to write, e.g. ${path.join(file, 'checklist.md')}`
    );
  let info;
  try {
    info = lstatSync(file);
  } catch {
    const folder = path.dirname(file);
    if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory())
      throw new UserError(
        `cannot write ${file}: the folder ${folder} does not exist`,
        `create it first (mkdir -p ${folder})`
      );
    return file;
  }
  if (info.isDirectory())
    throw new UserError(
      `--write-to ${file} is a folder`,
      `name the file to write, e.g. ${path.join(file, 'checklist.md')}`
    );
  if (info.isSymbolicLink()) {
    const target = (() => {
      try {
        return realpathSync(file);
      } catch {
        return 'a missing file';
      }
    })();
    throw new UserError(
      `--write-to ${file} is a symbolic link (to ${target})`,
      'name the file itself: the write replaces the file it names, which would replace the link'
    );
  }
  if (!info.isFile()) throw new UserError(`--write-to ${file} is not a regular file`);
  return file;
}
