import { open } from 'node:fs/promises';

/**
 * Flushes a folder's entries to disk, making a rename or removal in it durable. Not supported
 * everywhere (e.g. Windows): best effort.
 */
export async function syncFolder(folder: string): Promise<void> {
  try {
    const dir = await open(folder, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    /* best effort */
  }
}
