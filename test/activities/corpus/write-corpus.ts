import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes `files` (relative path → content) into `<scratch>/<name>` and returns that corpus folder. */
export function writeCorpus(scratch: string, name: string, files: Record<string, string>): string {
  const root = path.join(scratch, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}
