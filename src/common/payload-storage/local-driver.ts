import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { ContentAddressedDriver } from './content-driver.js';
import { objectPath, payloadNotFound } from './content.js';

export const LOCAL_DRIVER = 'steadfast.local';

export interface LocalDriverOptions {
  /** The name written into references; a fixture's folder reads references written by any driver. */
  name?: string;
  /** What a missing payload's message advises. */
  missingHint?: string;
}

/**
 * Payloads as files under one folder, content-addressed: `<dir>/sha256/ab/abcdef…` holds the
 * serialized Payload whose SHA-256 is its name, so the same payload stored twice (a retry, a replay,
 * another run) is one file. Every process that shares the folder — workers and clients on one
 * machine, or on a shared file system — reads what any of them wrote.
 */
export class LocalPayloadDriver extends ContentAddressedDriver {
  readonly name: string;
  readonly type = 'steadfast.local';

  constructor(
    readonly dir: string,
    private readonly options: LocalDriverOptions = {}
  ) {
    super();
    this.name = options.name ?? LOCAL_DRIVER;
  }

  fileOf(sha: string): string {
    return path.join(this.dir, ...objectPath(sha).split('/'));
  }

  protected async put(sha: string, bytes: Uint8Array): Promise<Record<string, string>> {
    await this.write(sha, bytes);
    return {};
  }

  protected async get(sha: string): Promise<{ bytes: Uint8Array; where: string }> {
    const file = this.fileOf(sha);
    try {
      return { bytes: await readFile(file), where: file };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw payloadNotFound(this.name, this.dir, sha, this.options.missingHint ?? LOCAL_MISSING_HINT);
      }
      throw err;
    }
  }

  /**
   * Writes once: an existing file of the right size is kept and its mtime refreshed (the age that
   * garbage collection reads is "last referenced", not "first written"). A new one is written to a
   * temp file, flushed to disk, then renamed into place, so a reader never sees half a payload and a
   * crash leaves at most a `.tmp` file behind.
   */
  async write(sha: string, bytes: Uint8Array): Promise<void> {
    const file = this.fileOf(sha);
    const existing = await stat(file).catch(() => undefined);
    if (existing?.size === bytes.length) {
      const now = new Date();
      await utimes(file, now, now).catch(() => {});
      return;
    }
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      // History will point at this file once the task completes: it must survive a power loss too.
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}

const LOCAL_MISSING_HINT =
  'Every worker and client must read the same payload folder (the same STEADFAST_DATA_DIR, or STEADFAST_PAYLOAD_STORE=local:<shared dir>); it may also have been deleted too early (docs/payload-storage.md, garbage collection). Restore the file to let the run go on.';
