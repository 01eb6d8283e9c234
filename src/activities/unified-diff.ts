// A unified diff (`diff -u` style) of two texts, bounded in time and size: what a reviewer reads
// before a write. Common leading and trailing lines are set aside first; the rest is aligned by a
// longest-common-subsequence table when it is small enough, or shown as one replacement otherwise.

const CONTEXT = 3;
/** Cells of the LCS table at most (e.g. 2000 × 2000 changed lines). */
const MAX_TABLE_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

export interface UnifiedDiff {
  text: string;
  truncated: boolean;
  added: number;
  removed: number;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The edit script from `a` to `b`, line by line. */
function editScript(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  ops.push(...alignMiddle(midA, midB));
  ops.push(...a.slice(endA).map((line) => ({ kind: ' ' as const, line })));
  return ops;
}

function alignMiddle(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || (n + 1) * (m + 1) > MAX_TABLE_CELLS) {
    return [
      ...a.map((line) => ({ kind: '-' as const, line })),
      ...b.map((line) => ({ kind: '+' as const, line })),
    ];
  }
  // lcs[i][j]: length of the LCS of a[i:] and b[j:], in one flat array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * width + j + 1]! + 1
          : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++]! });
      j++;
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      ops.push({ kind: '-', line: a[i++]! });
    } else {
      ops.push({ kind: '+', line: b[j++]! });
    }
  }
  while (i < n) ops.push({ kind: '-', line: a[i++]! });
  while (j < m) ops.push({ kind: '+', line: b[j++]! });
  return ops;
}

/** Hunks of changed lines with CONTEXT lines around them, numbered as `diff -u` numbers them. */
function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let k = 0;
  while (k < changed.length) {
    const from = Math.max(0, changed[k]! - CONTEXT);
    let to = changed[k]! + CONTEXT;
    while (k + 1 < changed.length && changed[k + 1]! - CONTEXT <= to + 1) to = changed[++k]! + CONTEXT;
    to = Math.min(ops.length - 1, to);
    k++;
    let lineA = 1;
    let lineB = 1;
    for (let x = 0; x < from; x++) {
      if (ops[x]!.kind !== '+') lineA++;
      if (ops[x]!.kind !== '-') lineB++;
    }
    const body = ops.slice(from, to + 1);
    const countA = body.filter((op) => op.kind !== '+').length;
    const countB = body.filter((op) => op.kind !== '-').length;
    out.push(
      `@@ -${countA === 0 ? lineA - 1 : lineA},${countA} +${countB === 0 ? lineB - 1 : lineB},${countB} @@`
    );
    for (const op of body) out.push(`${op.kind}${op.line}`);
  }
  return out;
}

/**
 * `before` → `after` as a unified diff with `--- a/<label>` / `+++ b/<label>` headers (`/dev/null`
 * for a file that does not exist yet), cut at `maxChars` with a note saying how much was left out.
 */
export function unifiedDiff(
  before: string | null,
  after: string,
  label: string,
  maxChars: number
): UnifiedDiff {
  const ops = editScript(splitLines(before ?? ''), splitLines(after));
  const added = ops.filter((op) => op.kind === '+').length;
  const removed = ops.filter((op) => op.kind === '-').length;
  const lines = [before === null ? '--- /dev/null' : `--- a/${label}`, `+++ b/${label}`, ...hunks(ops)];
  if (before !== null && before !== '' && !before.endsWith('\n'))
    lines.push('\\ No newline at end of file (before)');
  if (after !== '' && !after.endsWith('\n')) lines.push('\\ No newline at end of file (after)');
  let text = '';
  for (const [index, line] of lines.entries()) {
    if (text.length + line.length + 1 > maxChars) {
      return {
        text: `${text}… diff cut here: ${lines.length - index} more lines (${added} added, ${removed} removed in all)\n`,
        truncated: true,
        added,
        removed,
      };
    }
    text += `${line}\n`;
  }
  return { text, truncated: false, added, removed };
}
