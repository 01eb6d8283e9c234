/**
 * Code that lost its fences (an excerpt flattened to one line): telling it from prose, finding
 * where the prose resumes, and splitting a lead-in ("…as a tool: import { … }") from its code.
 */

const CODE_START =
  /^(?:import|export|const|let|var|function|class|interface|return|await|async|def|package|using|namespace|public|private|static|void|#\s*(?:include|define|if|ifdef|ifndef|else|endif|pragma)|from \S+ import)\b(?!\s+(?:the|a|an|is|are|of|to|and)\b)/;

/** Code that lost its fences: statements, braces and arrows rather than words. */
export function looksLikeCode(text: string): boolean {
  const t = text.trim();
  const words = Math.max(1, t.split(/\s+/).length);
  const symbols = t.match(/[{}()[\];=<>]/g)?.length ?? 0;
  if (/=>|\}\);|\(\);|\)\s*\{|\}\s*\}|;\s*\}/.test(t) && symbols / words > 0.25) return true;
  if (CODE_START.test(t) && /[{}();=]|\sfrom\s['"]/.test(t)) return true;
  // Chained calls: program .command('x') .option('-d')
  if (/^[\w$]+\s*\.\w+\(/.test(t) && /\.\w+\([^)]*\)\s*\.\w+\(/.test(t)) return true;
  return symbols / words > 0.6 && words >= 4;
}

/** Words in a row, each a plain word, that make a sentence of what follows a command. */
const PROSE_RUN = 6;
const PLAIN_WORD = /^[A-Za-z][a-z]*[’',]?$/;
const FUNCTION_WORD = /^(?:the|a|an|to|is|are|can|of|with|for|you|it|this|by|in|be)$/;

/** Where prose resumes in flattened code: a capitalised word after a closing bracket, then words. */
export function proseAfterCode(code: string): number {
  // After a closing bracket or quote, or a shell assignment's value ("export X_DEBUG=all The…").
  const re =
    /(?:[\]});'"`>]|#\s*endif|\*\/|\b[A-Z_][A-Z0-9_]*=[^\s=;{}()]+)\s+(?=[A-Z][\w`’'.]*\s+(?:[a-z`\uE000][\w`’',.()\uE000]*\s+){3})/g;
  for (const m of code.matchAll(re)) {
    const from = m.index + m[0].length;
    const next = code.slice(from, from + 60);
    if ((next.match(/[{}[\];=<>]/g)?.length ?? 0) <= 1) return from;
  }
  // A command's placeholders explained after it ("frob -f keyfile where "keyfile" is the file…").
  const where = /\s(?=where\s+["'`]?[\w.-]+["'`]?\s+(?:is|are|stands|names|means)\s)/.exec(code);
  if (where && where.index > 0) return where.index + 1;
  // Commands after a shell prompt end at any word that opens a sentence ("…/bin/python -m pip
  // install foo If needed, the isolated environment can…"): a capital, then words of prose.
  if (/^\s*\$\s/.test(code))
    for (const m of code.matchAll(/\s(?=[A-Z][a-z]+,?\s+(?:[a-z][\w'’,]*\s+){3})/g)) {
      const from = m.index + 1;
      const next = code.slice(from, from + 80);
      // Six plain words in a row are a sentence, whatever command it names further on ("The tests
      // is possible to exclude by ./run.sh --exclude=<list>…").
      const lead = next.split(/\s+/).slice(0, PROSE_RUN);
      if (
        lead.length === PROSE_RUN &&
        lead.every((w) => PLAIN_WORD.test(w)) &&
        lead.some((w) => FUNCTION_WORD.test(w))
      )
        return from;
      if (/(?:^|\s)\$\s/.test(next) || (next.match(/[{}[\];=<>$|]/g)?.length ?? 0) > 0) continue;
      if (/\s(?:the|a|an|to|is|are|can|of|with|for|you|it|this)\s/.test(next)) return from;
    }
  return -1;
}

/** "Use X as a tool: import { … }" → the lead-in and the code after its colon. */
export function splitAtCode(sentence: string): string[] {
  const m =
    /:\s+(?=(?:import|export|const|let|var|function|class|await|async|npm|npx|yarn|pnpm|pip|\$)\s|[{[<]|[\w$]+(?:\.[\w$]+)*\s*\(|[a-z][\w.-]*\s+--?[a-z])/.exec(
      sentence
    );
  if (m && m.index >= 10) return [sentence.slice(0, m.index + 1), sentence.slice(m.index + m[0].length)];
  // Prose followed by chained calls ("… of the program. program .command('x') .summary('y')").
  const chain = /\s(?=[\w$]+\s*(?:\.\w+\([^)]*\)\s*){2,})/.exec(sentence);
  if (chain && chain.index >= 20) return [sentence.slice(0, chain.index), sentence.slice(chain.index + 1)];
  return [sentence];
}
