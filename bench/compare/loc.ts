import { readFileSync } from 'node:fs';

/** Lines of code: non-blank lines that are not only a comment. */
export function linesOfCode(files: string[]): number {
  let n = 0;
  for (const f of files) {
    let inBlock = false;
    for (const raw of readFileSync(f, 'utf8').split('\n')) {
      const line = raw.trim();
      if (inBlock) {
        if (line.includes('*/')) inBlock = false;
        continue;
      }
      if (!line || line.startsWith('//')) continue;
      if (line.startsWith('/*')) {
        inBlock = !line.includes('*/');
        continue;
      }
      n++;
    }
  }
  return n;
}
