/**
 * Phrasal verbs and idioms of spoken questions as the single word documentation uses for them
 * ("gives up" → "stops", "what comes back" → "returns"), and the other usual name of a common thing
 * (an exit status is an exit code, SIGFPE a floating-point exception). Ordinary English and common
 * terms of the trade, never names of products, options or files. Shared by the offline writer and
 * corpus retrieval, which read the question.
 */
/**
 * "…if I leave the rotation settings alone": asks for the default, and what is left alone (the
 * group) is the subject. Only as a condition: "make systemctl leave the manager alone" asks
 * something else. Lower case, for the question-form and retrieval patterns that build on it.
 */
export const LEFT_ALONE = String.raw`\b(?:if|when) (?:i|you|we|they) (?:just )?(?:leave|left) ((?:\w+ ){1,4})alone\b`;

const IDIOMS: Array<[RegExp, string | ((said: string) => string)]> = [
  // "…until it gives up" stops; "what do I give up" is a trade-off, left as it is.
  [/\b(?:gives|gave) up\b/gi, 'stops'],
  [/\bat the same time\b|\ball at once\b/gi, 'simultaneously'],
  [/\bturns? on\b/gi, 'enable'],
  [/\bturns? off\b/gi, 'disable'],
  [/\bget rid of\b/gi, 'remove'],
  [/\bclean(?:s|ing)? up\b/gi, 'clean'],
  [/\bset(?:s|ting)? up\b/gi, 'configure'],
  [/\bfind out\b|\bfigure out\b/gi, 'determine'],
  [/\bkeep(?:s|ing)? (\w+(?: \w+){0,3}) out of\b/gi, 'exclude $1 from'],
  [/\bleave(?:s)? (\w+(?: \w+){0,3}) out\b/gi, 'exclude $1'],
  [/\b(?:leave|leaves|leaving) out\b/gi, 'exclude'],
  [/\b(?:forever|indefinitely)\b/gi, 'indefinitely without timeout'],
  // Phrasal verbs of spoken questions as the single verb reference text uses ("what comes back").
  [/\b(?:comes|came|coming) back\b/gi, 'returns'],
  [/\bthrow(?:s|n|ing)? away\b/gi, 'discard'],
  [/\bthrow(?:s|n|ing)? (it|them|this|that|these|those) away\b/gi, 'discard $1'],
  [/\b(?:shows?|showed|showing) up\b/gi, 'appear'],
  [/\bspeed(?:s|ing)? (?:it |things |this )?up\b/gi, 'make faster'],
  [/\b(?:times?|timed|timing) out\b/gi, 'timeout'],
  [/\bback(?:s|ed|ing)? up\b/gi, 'backup'],
  [/\bstart(?:s|ed|ing)? over\b/gi, 'restart'],
  // A thing's two usual names, either of which the documentation may use: the other is added.
  [/\bexit status(?:es)?\b/gi, '$& (exit code)'],
  [/\bexit codes?\b/gi, '$& (exit status)'],
  // A file's modification time is what archivers and file systems call its timestamp.
  [
    /\b(?:modification|access) times?\b|\bmtimes?\b|\btime-?stamps?\b/gi,
    (said) => `${said} (${/stamp/i.test(said) ? 'modification time' : 'timestamp'})`,
  ],
  // POSIX resource limits, by name and by what they limit.
  [
    /\b(?:limits? (?:on|of|for) (?:the (?:number|count) of )?open (?:files?|file descriptors?|descriptors?)|open[- ]files? limits?|file[- ]descriptor limits?|ulimit -n)\b|\bRLIMIT_NOFILE\b/gi,
    named('RLIMIT_NOFILE', 'open files limit'),
  ],
  [
    /\b(?:core (?:file|dump) size limits?|limits? on (?:the )?core (?:file|dump)s?(?: size)?|ulimit -c)\b|\bRLIMIT_CORE\b/gi,
    named('RLIMIT_CORE', 'core file size limit'),
  ],
  [
    /\b(?:stack size limits?|limits? on (?:the )?stack(?: size)?|ulimit -s)\b|\bRLIMIT_STACK\b/gi,
    named('RLIMIT_STACK', 'stack size limit'),
  ],
  // SQL: statements between BEGIN and COMMIT run as one transaction block.
  [/\bBEGIN\s*(?:and|\/|,|\.\.\.|…)\s*(?:COMMIT|END)\b/g, '$& (transaction block)'],
  // POSIX signals, by name and by what they say.
  [/\bfloating[- ]point exceptions?\b|\bSIGFPE\b/gi, named('SIGFPE', 'floating-point exception')],
  [
    /\bsegmentation (?:faults?|violations?)\b|\bsegfaults?\b|\bSIGSEGV\b/gi,
    named('SIGSEGV', 'segmentation fault'),
  ],
  [/\bbroken pipes?\b|\bSIGPIPE\b/gi, named('SIGPIPE', 'broken pipe')],
  [/\bbus errors?\b|\bSIGBUS\b/gi, named('SIGBUS', 'bus error')],
  [/\billegal instructions?\b|\bSIGILL\b/gi, named('SIGILL', 'illegal instruction')],
  // The standard streams, by name and by what they are.
  [/\bstandard input\b|\bstdin\b/gi, named('stdin', 'standard input')],
  [/\bstandard output\b|\bstdout\b/gi, named('stdout', 'standard output')],
  [/\bstandard error\b|\bstderr\b/gi, named('stderr', 'standard error')],
  // The kernel's random devices: urandom never blocks, random may.
  [
    /\bnon-?blocking (?:random|entropy)(?: (?:number|data))?(?: (?:device|source|generator))?\b|(?:\/dev\/)?\burandom\b/gi,
    named('urandom', 'non-blocking random device'),
  ],
  // A denial of service is what security advisories and changelogs abbreviate to DoS (not DOS).
  [/\b[Dd]enial[- ]of[- ]service\b|\bDoS\b/g, named('DoS', 'denial of service')],
  // Manual pages, as packages and changelogs name them.
  [
    /\bmanual pages?\b|\bman ?pages?\b/gi,
    (said) => `${said} (${/manual/i.test(said) ? 'manpages' : 'manual pages'})`,
  ],
  // Processor architectures under their other names.
  [/\b64-bit ARM\b|\bARM ?64\b|\bAArch64\b/gi, named('AArch64', 'arm64 64-bit ARM')],
  [/\bx86[-_]64\b|\bamd64\b|\bx64\b/gi, named('x86-64', 'amd64 x64')],
];

/**
 * A signal or limit said by its name or by what it says, with the other added: "broken pipe
 * (SIGPIPE)", "RLIMIT_NOFILE (open files limit)".
 */
function named(name: string, says: string): (said: string) => string {
  const bare = (s: string) =>
    s
      .replace(/^\/dev\//, '')
      .replace(/[-_ ]/g, '')
      .toLowerCase();
  const own = bare(name);
  return (said) => `${said} (${bare(said) === own ? says : name})`;
}

/** The idioms that replace what was said, rather than adding a thing's other name to it. */
const REPLACING = IDIOMS.filter(([, word]) => typeof word === 'string' && !word.includes('$&'));

/**
 * The question with its phrasal verbs and idioms in documentation's words ("gives up" → "stops"),
 * but no other names added ("exit status" stays as said).
 */
export function phrasalWords(text: string): string {
  return withIdioms(text, REPLACING);
}

/** The question with its idioms in documentation's words ("gives up" → "stops"). */
export function plainWords(text: string): string {
  return withIdioms(text, IDIOMS);
}

function withIdioms(text: string, idioms: typeof IDIOMS): string {
  let out = text;
  for (const [re, word] of idioms)
    out = typeof word === 'string' ? out.replace(re, word) : out.replace(re, word);
  return out;
}
