import { inflateSync, constants } from 'node:zlib';

/**
 * What the compressed streams of one PDF may inflate to. A 5 MB PDF can hold streams that inflate
 * a thousandfold; the PDF reader would inflate them all into memory and parse them for minutes.
 */
export const MAX_INFLATED_BYTES = 128 * 1024 * 1024;

/**
 * Inflates every FlateDecode stream of `bytes` against a shared budget and returns a reason when
 * the budget runs out (a decompression bomb), undefined otherwise. Streams that do not inflate
 * are left to the PDF reader to judge.
 */
export function pdfBombReason(bytes: Uint8Array, budget = MAX_INFLATED_BYTES): string | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const start = /\bstream\r?\n/g;
  let left = budget;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    const dict = text.slice(Math.max(0, m.index - 2048), m.index);
    const open = dict.lastIndexOf('obj');
    if (!/\/FlateDecode|\/Fl\b/.test(open >= 0 ? dict.slice(open) : dict)) continue;
    const from = m.index + m[0].length;
    const end = text.indexOf('endstream', from);
    if (end < 0) break;
    try {
      left -= inflateSync(bytes.subarray(from, end), {
        maxOutputLength: Math.max(1, left),
        finishFlush: constants.Z_SYNC_FLUSH,
      }).length;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') left = -1;
    }
    if (left < 0)
      return `compressed streams inflate to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB (a decompression bomb?); not read`;
    start.lastIndex = end;
  }
  return undefined;
}
