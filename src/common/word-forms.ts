/**
 * Irregular English inflections and the base form a suffix stripper would give their regular
 * siblings: "shown" meets "show", "overridden" meets "override", "kept" meets "keep". Pure data
 * (corpus retrieval and the offline writer each stem the base their own way). Forms that are also
 * other common words are left out: "left", "found", "bound", "saw", "bit", "lay", "fell", "rose".
 */
const FORMS: Record<string, string> = {
  arisen: 'arise',
  arose: 'arise',
  ate: 'eat',
  eaten: 'eat',
  began: 'begin',
  begun: 'begin',
  bent: 'bend',
  blew: 'blow',
  blown: 'blow',
  broke: 'break',
  broken: 'break',
  brought: 'bring',
  built: 'build',
  bought: 'buy',
  caught: 'catch',
  chose: 'choose',
  chosen: 'choose',
  dealt: 'deal',
  did: 'do',
  done: 'do',
  drew: 'draw',
  drawn: 'draw',
  drove: 'drive',
  driven: 'drive',
  dug: 'dig',
  fed: 'feed',
  flew: 'fly',
  flown: 'fly',
  forbade: 'forbid',
  forbidden: 'forbid',
  forgot: 'forget',
  forgotten: 'forget',
  froze: 'freeze',
  frozen: 'freeze',
  gave: 'give',
  given: 'give',
  gone: 'go',
  went: 'go',
  got: 'get',
  gotten: 'get',
  grew: 'grow',
  grown: 'grow',
  held: 'hold',
  hid: 'hide',
  hidden: 'hide',
  hung: 'hang',
  kept: 'keep',
  knew: 'know',
  known: 'know',
  led: 'lead',
  lost: 'lose',
  made: 'make',
  meant: 'mean',
  overridden: 'override',
  overrode: 'override',
  overwritten: 'overwrite',
  overwrote: 'overwrite',
  paid: 'pay',
  ran: 'run',
  rewritten: 'rewrite',
  rewrote: 'rewrite',
  said: 'say',
  seen: 'see',
  sent: 'send',
  shook: 'shake',
  shaken: 'shake',
  shown: 'show',
  shrank: 'shrink',
  shrunk: 'shrink',
  sold: 'sell',
  sought: 'seek',
  spent: 'spend',
  spoke: 'speak',
  spoken: 'speak',
  spun: 'spin',
  stole: 'steal',
  stolen: 'steal',
  stood: 'stand',
  struck: 'strike',
  stuck: 'stick',
  taught: 'teach',
  taken: 'take',
  took: 'take',
  thought: 'think',
  threw: 'throw',
  thrown: 'throw',
  told: 'tell',
  torn: 'tear',
  understood: 'understand',
  undid: 'undo',
  undone: 'undo',
  woke: 'wake',
  woken: 'wake',
  wore: 'wear',
  worn: 'wear',
  withdrew: 'withdraw',
  withdrawn: 'withdraw',
  wrote: 'write',
  written: 'write',
};

/** The base form of an irregular inflection (lower case in, lower case out); other words unchanged. */
export function baseForm(word: string): string {
  return Object.hasOwn(FORMS, word) ? FORMS[word]! : word;
}

/**
 * British spellings as American ones, so that a question asking about "behaviour" meets a manual
 * that says "behavior" (and the reverse: both sides of a match are spelled this way). Regular
 * patterns only: -our (colour), -ise and -yse (normalise, analyse), -tre (centre), -ogue
 * (catalogue), -ence nouns (licence, defence), a doubled l before a suffix (cancelled,
 * travelling), and two words of their own. Words both Englishes spell alike ("otherwise",
 * "promise", "contour") are left as they are, so that retrieval, which indexes a changed word under
 * both spellings, does not count them half again. Lower case in, lower case out.
 */
export function americanSpelling(word: string): string {
  if (Object.hasOwn(WORDS, word)) return WORDS[word]!;
  for (const [pattern, replacement, keeps] of SPELLINGS) {
    const m = pattern.exec(word);
    if (m && !keeps?.test(m[1]!)) return word.replace(pattern, replacement);
  }
  return word;
}

const WORDS: Record<string, string> = {
  grey: 'gray',
  greys: 'grays',
  programme: 'program',
  programmes: 'programs',
};

/** A pattern, its American replacement, and the stems (its first group) it leaves alone. */
const SPELLINGS: ReadonlyArray<[RegExp, string, RegExp?]> = [
  // "colour", "behaviours", "flavoured", "neighbouring"; not "hour", "four", "your" (too short to be
  // one), nor "contour", "detour", "devour" and a few more spelled alike in both Englishes.
  [/^([a-z]{3,})our(s|ed|ing|ite|ites|able|ful|less)?$/, '$1or$2', /(?:t|^dev|^vel|^param|^troubad|^tamb)$/],
  // "normalise", "initialised", "serialisation", "analyse"; a stem of two letters at least ("rise"
  // stays), and not the words American English spells -ise too: a stem ending in a vowel ("noise",
  // "raise"), in w ("otherwise"), v ("advise", "supervised"), pr ("surprise"), nch ("franchise"),
  // or one of the rest (below).
  [
    /^([a-z]{2,})is(e|es|ed|ing|er|ers|ation|ations)$/,
    '$1iz$2',
    /(?:[aeiouwv]|pr|nch|^(?:advert|an|ar|chast|chem|circumc|comprom|conc|dem|desp|exc|exerc|expert|inc|merchand|mort|parad|prec|prem|prom|sunr|surm|treat|upr|val))$/,
  ],
  [/^([a-z]{2,})ys(e|es|ed|ing|er|ers)$/, '$1yz$2'],
  // "centre", "metres"; -bre is left alone ("timbre" is not "timber").
  [/^([a-z]{2,})tre(s|d)?$/, '$1ter$2'],
  [/^([a-z]{3,})ogue(s)?$/, '$1og$2'],
  [/^(licen|defen|offen|preten)c(e|es)$/, '$1s$2'],
  // "cancelled", "travelling", "labelled": a doubled l after an unstressed e, the stem holding a
  // vowel before it ("spelled", "yelled" keep theirs).
  [/^([a-z]*[aeiou][a-z]*[^aeiou]e)ll(ed|ing|er|ers)$/, '$1l$2'],
];
