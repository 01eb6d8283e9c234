// What a run's write did, kept in the artifact store under the run's id: the record (path, hashes
// before and after, when, rollback), the previous bytes, and an append-only log of every rename
// made in the user's file. The record is what makes the write idempotent and the rollback possible.
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { WriteRecord } from '../common/research-types.js';
import { artifactPath, readArtifact, writeArtifact } from './artifacts.js';
import { sha256 } from './file-target.js';

const RECORD = 'write-record.json';
const PREVIOUS = 'write-previous.bin';
const REPLACED = 'write-replaced.bin';
const LOG = 'writes.log';

/** The record as stored: `writing` is set before the rename, `written` after it. */
export interface StoredWrite extends Omit<WriteRecord, 'writtenAt'> {
  state: 'writing' | 'written';
  startedAt: string;
  writtenAt?: string;
  /** Permission bits of the file before the write (a rollback restores them). */
  mode?: number;
  /** Set before a rollback's rename, so that a retry after a crash finishes it instead of refusing. */
  rollingBack?: { forced: boolean; replaced?: { sha256: string; bytes: number } };
}

export async function loadWrite(workflowId: string): Promise<StoredWrite | undefined> {
  try {
    return JSON.parse((await readArtifact(workflowId, RECORD)).toString('utf8')) as StoredWrite;
  } catch (err) {
    if ((err as ApplicationFailure).type === 'ArtifactNotFound') return undefined;
    throw err;
  }
}

export async function saveWrite(workflowId: string, record: StoredWrite): Promise<void> {
  await writeArtifact(workflowId, RECORD, `${JSON.stringify(record, null, 1)}\n`);
}

/** The record as activities return it. */
export function publicRecord(record: StoredWrite): WriteRecord {
  return {
    path: record.path,
    existed: record.existed,
    before: record.before,
    after: record.after,
    writtenAt: record.writtenAt ?? record.startedAt,
    ...(record.rolledBack ? { rolledBack: record.rolledBack } : {}),
  };
}

/** Keeps the bytes the write replaces (before the rename, so a crash cannot lose them). */
export async function keepPrevious(workflowId: string, bytes: Buffer): Promise<void> {
  await writeArtifact(workflowId, PREVIOUS, bytes);
}

/** The bytes the write replaced, checked against the hash recorded with them. */
export async function previousBytes(workflowId: string, record: StoredWrite): Promise<Buffer> {
  const bytes = await readArtifact(workflowId, PREVIOUS);
  if (!record.before || sha256(bytes) !== record.before.sha256)
    throw ApplicationFailure.create({
      type: 'BackupDamaged',
      nonRetryable: true,
      message: `the previous content of ${record.path} kept for rollback does not match its recorded sha256 (${record.before?.sha256 ?? 'none'}); it is in ${artifactPath(workflowId, PREVIOUS)}`,
    });
  return bytes;
}

/** Keeps what a forced rollback replaces, so that the rollback itself can be undone by hand. */
export async function keepReplaced(workflowId: string, bytes: Buffer): Promise<string> {
  return (await writeArtifact(workflowId, REPLACED, bytes)).path;
}

/** One line per rename made in the user's file: the audit trail of what touched it, and when. */
export async function logRename(
  workflowId: string,
  entry: { action: 'write' | 'restore' | 'remove'; path: string; sha256: string | null; by?: string }
): Promise<void> {
  const file = artifactPath(workflowId, LOG);
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`);
}

/** The rename log's path (tests and operators read it). */
export function renameLogPath(workflowId: string): string {
  return artifactPath(workflowId, LOG);
}
