/**
 * Tags and placeholders in documentation text. `<details>…</details>` and `<img src=…>` are markup;
 * a bare `<commit>` or `<seconds>` that nothing closes is a placeholder of a command line ("git
 * reset <commit>", "--timeout <seconds>") and part of what the text says. Pure: used by the corpus
 * index, search excerpts, the offline writer and the workflow's plain-prose summary.
 */

/**
 * An HTML-like tag: its slash, its name and the rest up to `>`. A file named in angle brackets
 * ("#include <errno.h>", "<sys/types.h>") is no tag: its name goes on with a dot or a slash and a
 * word. Global: use with `replace`.
 */
export const TAG = /<(\/?)([a-zA-Z][\w-]*)(?![\w-]|[./]\w)([^>]*)>/g;

const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'wbr', 'input', 'meta', 'link', 'col', 'area', 'source']);

/** The names of the tags a text closes (`</details>`): those are markup wherever they open. */
export function closedTags(text: string): Set<string> {
  return new Set(Array.from(text.matchAll(/<\/([a-zA-Z][\w-]*)\s*>/g), (m) => m[1]!.toLowerCase()));
}

/** Whether a matched tag is a placeholder: bare, not closed in the text, not a void element. */
function isPlaceholder(slash: string, name: string, rest: string, closed: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  return !slash && !/\S/.test(rest) && !closed.has(lower) && !VOID_ELEMENTS.has(lower);
}

/**
 * The text without its tags: each tag becomes `replacement`, each placeholder what `keep` makes of
 * it (itself by default).
 */
export function withoutTags(
  text: string,
  replacement: string,
  keep: (placeholder: string, name: string) => string = (p) => p,
  closed: ReadonlySet<string> = closedTags(text)
): string {
  return text.replace(TAG, (tag, slash: string, name: string, rest: string) =>
    isPlaceholder(slash, name, rest, closed) ? keep(tag, name) : replacement
  );
}
