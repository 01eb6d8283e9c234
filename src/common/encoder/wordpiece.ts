/**
 * BERT's uncased WordPiece tokenizer (the one sentence encoders such as all-MiniLM-L6-v2 read):
 * clean the text, put spaces around CJK characters, lower-case, drop accents, split on
 * whitespace and punctuation, then cut each word greedily into the longest pieces the vocabulary
 * holds ("##" marks a piece inside a word). A word that cannot be cut becomes [UNK].
 */

const MAX_WORD_CHARS = 100;

export class WordPiece {
  readonly cls: number;
  readonly sep: number;
  readonly unk: number;
  private readonly ids: Map<string, number>;

  /** `vocab`: the vocabulary file's lines, one piece per line, its id the line number. */
  constructor(vocab: readonly string[]) {
    this.ids = new Map(vocab.map((piece, i) => [piece, i]));
    const special = (t: string): number => {
      const id = this.ids.get(t);
      if (id === undefined)
        throw new Error(`The vocabulary has no ${t} token: not a BERT WordPiece vocabulary.`);
      return id;
    };
    this.cls = special('[CLS]');
    this.sep = special('[SEP]');
    this.unk = special('[UNK]');
  }

  /** Token ids of `text` between [CLS] and [SEP], at most `maxTokens` in all. */
  encode(text: string, maxTokens: number): number[] {
    const out = [this.cls];
    for (const word of basicWords(text)) {
      for (const id of this.pieces(word)) {
        if (out.length >= maxTokens - 1) return [...out, this.sep];
        out.push(id);
      }
    }
    out.push(this.sep);
    return out;
  }

  private pieces(word: string): number[] {
    const chars = [...word];
    if (chars.length > MAX_WORD_CHARS) return [this.unk];
    const out: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const piece = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        found = this.ids.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [this.unk];
      out.push(found);
      start = end;
    }
    return out;
  }
}

function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return /\p{Cc}|\p{Cf}/u.test(ch);
}

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126))
    return true;
  return /\p{P}/u.test(ch);
}

/** The basic tokenizer's words: whitespace- and punctuation-separated, lower-cased, unaccented. */
export function basicWords(text: string): string[] {
  let cleaned = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
    if (/\s/u.test(ch)) cleaned += ' ';
    else if (isCjk(cp)) cleaned += ` ${ch} `;
    else cleaned += ch;
  }
  const words: string[] = [];
  for (const raw of cleaned.split(' ')) {
    if (!raw) continue;
    const word = raw
      .toLowerCase()
      .normalize('NFD')
      .replace(/\p{Mn}/gu, '');
    let current = '';
    for (const ch of word) {
      if (isPunctuation(ch)) {
        if (current) words.push(current);
        words.push(ch);
        current = '';
      } else current += ch;
    }
    if (current) words.push(current);
  }
  return words;
}
