/** JSON found inside message text: the whole text, fenced blocks, or the outermost brackets. */

/** Parses JSON in a string when there is some: the whole string, fenced blocks, or the outer braces. */
export function parseEmbeddedJson(text: string): unknown[] {
  const found: unknown[] = [];
  const t = text.trim();
  const tryParse = (s: string): boolean => {
    try {
      const v = JSON.parse(s);
      if (v && typeof v === 'object') {
        found.push(v);
        return true;
      }
    } catch {
      /* not JSON */
    }
    return false;
  };
  if ((t.startsWith('{') || t.startsWith('[')) && tryParse(t)) return found;
  for (const m of t.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)) tryParse(m[1]!);
  if (found.length === 0) {
    const start = t.search(/[[{]/);
    const end = Math.max(t.lastIndexOf('}'), t.lastIndexOf(']'));
    if (start >= 0 && end > start) tryParse(t.slice(start, end + 1));
  }
  return found;
}
