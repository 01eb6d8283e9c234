/** The kind of sentence a question's form asks for, and how much a sentence reads like one. */
import type { AnswerCue } from './question-form.js';

const TIME_UNIT = String.raw`ms|milliseconds?|s|secs?|seconds?|min|minutes?|h|hrs?|hours?|days?|weeks?`;
const UNIT = String.raw`(?:${TIME_UNIT}|[kmgt]i?b|(?:kilo|mega|giga|tera|kibi|mebi|gibi)?bytes?|%|percent|tokens?|characters?|chars|items?|times|retries|attempts|requests?|workers?|threads?|connections?|lines?|mb\/s|px)`;
const NUMBER_WORDS =
  /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|million|once|twice|half|double)\b/i;
/** A length of time: a number, in figures or words, with its unit ("1s", "one second", "30 minutes"). */
export const DURATION = new RegExp(
  String.raw`(?:\d[\d.,]*\s?|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|sixty|a few|several)\s+)(?:${TIME_UNIT}|mins|months?|years?)\b`,
  'i'
);
const IDENTIFIER =
  /`[^`]+`|(?:^|\s)--?[a-z][\w-]*|\b[a-z]+[A-Z]\w*\b|\b[A-Z][a-z]+[A-Z]\w*\b|\b\w+_\w+\b|\b\w+\.\w+(?:\(\))?|\b\w+\(\)/;
const COMMAND =
  /(?:^|`|\$\s)(?:npm|npx|yarn|pnpm|git|node|pip|python3?|docker|kubectl|curl|make|cargo|go|brew|apt(?:-get)?)\s/;
const FLAG = /(?:^|[\s(`'"])--?[a-z][\w-]*/i;
const ENV_NAME = /\$?\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|\$[A-Z]\w*|\b[A-Z]{4,}\b/;
const CALL = /\b[\w$.]+\([^()]*\)/;

/** The verbs a sentence that tells the reader what to do opens with ("Use…", "Rebuild…", "Transfer…"). */
export const DO_VERB =
  '(?:use|pass|call|set|add|run|create|define|register|install|configure|enable|disable|import|wrap|write|return|start|make|provide|specify|put|open|follow|replace|implement|attach|declare|mark|give|keep|avoid|ensure|check|prefer|choose|select|include|remove|store|send|signal|await|handle|catch|raise|throw|point|list|export|try|upgrade|update|build|compile|transfer|switch|rebuild|reinstall|restart|apply|link|copy|turn|edit|change)';

/** A sentence that opens with what to do ("Use…", "Pass…", "Do not…"). */
export const IMPERATIVE = new RegExp(String.raw`^(?:${DO_VERB}|do not|don't|never|always)\b`, 'i');

/** Words that state a bound. */
const BOUND =
  /\b(?:max(?:imum|imal)?|min(?:imum|imal)?|limit(?:s|ed)?|at (?:most|least)|up to|no more than|no fewer than|caps?|capped|ceiling|unlimited|largest|smallest)\b/i;

/** 0..1: how much a unit reads like the kind of answer the question's form asks for. */
export function cueScore(text: string, cues: ReadonlySet<AnswerCue>): number {
  let best = 0;
  const has = (re: RegExp) => re.test(text);
  for (const cue of cues) {
    let s = 0;
    switch (cue) {
      case 'number':
        s = new RegExp(String.raw`\d[\d.,]*\s?${UNIT}\b`, 'i').test(text)
          ? 1
          : has(/\d/)
            ? 0.6
            : has(NUMBER_WORDS)
              ? 0.5
              : 0;
        break;
      case 'bound':
        // "the maximum allowed value is 50,000", "at most 8"; a bound without its number less surely.
        s = has(BOUND) ? (has(/\d/) ? 1 : 0.6) : 0;
        break;
      case 'code':
        // Environment-style NAMES ("HGEDITOR, VISUAL and EDITOR") are names too, if less surely.
        s = has(COMMAND) ? 1 : has(IDENTIFIER) ? 0.8 : /\b[A-Z][A-Z0-9]{3,}\b/.test(text) ? 0.6 : 0;
        // "Which flags…" is answered by flags, not by any name.
        if (cues.has('flag')) s = has(FLAG) ? 1 : s * 0.5;
        if (cues.has('envvar')) s = has(ENV_NAME) ? 1 : s * 0.5;
        if (cues.has('call')) s = has(CALL) ? 1 : s * 0.5;
        break;
      case 'definition':
        s = has(
          /\b(?:is|are) (?:a|an|the)\b|\brefers? to\b|\bmeans?\b|\bis (?:used|defined|designed|meant) (?:to|as|for)\b|\brepresents?\b|\bstands for\b|\bdescribes?\b|\bconsists? of\b/i
        )
          ? 0.8
          : has(/\b(?:is|are)\b/)
            ? 0.3
            : 0;
        break;
      case 'yesno':
        s = has(/\b(?:not|no|never|cannot|can't|won't|doesn't|don't|isn't|aren't|unsupported|impossible)\b/i)
          ? 0.8
          : has(/\b(?:only|must|always|supports?|supported|allowed|possible|can|may|requires?)\b/i)
            ? 0.6
            : 0;
        break;
      case 'procedure':
        s = IMPERATIVE.test(text.replace(/^[`"'(]+/, ''))
          ? 0.8
          : has(
                /\b(?:to|by) \w+ing\b|\b(?:supports?|allows?|lets? you|accepts?|provides?|enables?|pass(?:es)?|calls?|configure[sd]?|register(?:s|ed)?|wraps?)\b/i
              )
            ? 0.6
            : 0;
        if (has(IDENTIFIER)) s = Math.min(1, s + 0.3);
        break;
      case 'reason':
        s = has(
          /\b(?:because|since|so that|in order to|to avoid|to prevent|otherwise|therefore|due to|as a result|which means|the reason|so)\b/i
        )
          ? 0.9
          : 0;
        break;
      case 'release':
        s = has(/\b\d+(?:\.\d+)+\b/) ? 1 : 0;
        break;
      case 'condition':
        // "This flaw only manifests itself if…", "…as long as…"; any "if" or "when" less surely.
        s = has(
          /\bonly (?:if|when|where|while|after|for|in|with|manifests|happens|occurs|applies)\b|\bprovided (?:that\b)?|\bas long as\b|\bunless\b|\bin case\b/i
        )
          ? 1
          : has(/\b(?:if|when|whenever)\b/i)
            ? 0.6
            : 0;
        break;
      case 'time':
        s = new RegExp(String.raw`\d[\d.,]*\s?${UNIT}\b`, 'i').test(text)
          ? 0.9
          : has(
                /\b(?:when|after|before|until|once|while|during|every|within|timeout|expires?|immediately|hourly|daily|weekly)\b/i
              )
            ? 0.6
            : 0;
        break;
      case 'consequence':
        // "If the limit is reached, the not found route will be invoked."
        if (/^(?:if|when|once)\b[^.]*,[^.]*\b(?:will|is|are|gets?)\b/i.test(text)) {
          s = 0.8;
          break;
        }
        s = has(
          /\b(?:fails?|failed|failure|errors?|throws?|raises?|retr(?:y|ies|ied)|lost|recover(?:s|ed)?|crash(?:es|ed)?|restarts?|resumes?|replay(?:s|ed)?|rolls? back|times? out)\b/i
        )
          ? 0.7
          : 0;
        break;
      case 'default':
        s = has(
          /\bdefaults?\b|\bdefault(?:s|ed)? to\b|\bunless\b|\bif (?:omitted|not (?:set|given|specified))\b/i
        )
          ? 1
          : 0;
        break;
      case 'place':
        s = has(
          /(?:^|[\s(`])(?:~|\.{1,2}|\$\w+)?\/[\w.-]|\.[a-z]*rc\b|\b[\w-]+\.(?:conf|cfg|ini|json|ya?ml|toml|env)\b/i
        )
          ? 1
          : has(/\b(?:file|directory|folder|path|located|stored|saved|written to|named)\b/i)
            ? 0.6
            : 0;
        break;
      case 'frequency':
        s = has(
          /\b(?:hourly|daily|weekly|monthly|nightly|yearly|every\s+(?:\d+\s+)?\w+|once\s+(?:a|an|per|every)\b|per\s+(?:second|minute|hour|day|week|month)|times\s+(?:a|per)\b|interval|frequency|periodic(?:ally)?)\b/i
        )
          ? 1
          : 0;
        break;
      case 'precedence':
        s = has(
          /\b(?:precedence|priority|overrides?|overridden|override|wins?|takes? effect|preferred|prefers?|in (?:the described|that|this|the given) order|later ones|earlier ones)\b/i
        )
          ? 1
          : 0;
        break;
      case 'tradeoff':
        s = has(
          /\b(?:however|at the expense|costs?|degrade[sd]?|worse|penalty|overhead|slower|trade-?offs?|drawbacks?|downside|at the price)\b/i
        )
          ? 1
          : has(/\b(?:but|less|fewer|reduces?|lower)\b/i)
            ? 0.5
            : 0;
        break;
      case 'advice':
        s = has(
          /\b(?:worth|recommend\w*|advis\w+|avoid|deprecated|discouraged|(?:not )?necessary|unnecessary|prefer\w*|instead|better|should(?: not)?)\b/i
        )
          ? 1
          : 0;
        break;
      case 'problem':
        s = has(
          /\b(?:causes?|caused|lead(?:s)? to|results? in|effects?|limitations?|degrad\w+|risk\w*|harmful|danger\w*|overhead|exhaust\w*|crash\w*|surprising|significant)\b/i
        )
          ? 1
          : 0;
        break;
      case 'comparison':
        s = has(
          /\b(?:whereas|unlike|instead|rather than|while|but|compared|than|same as|differs?|different|better|faster|slower)\b/i
        )
          ? 0.6
          : 0;
        break;
    }
    best = Math.max(best, s);
  }
  return best;
}

/** "How many…" is not answered by a sentence without a number, "which flag…" not without code. */
export function lacksAnswerType(text: string, plain: string, cues: ReadonlySet<AnswerCue>): boolean {
  const lacksNumber = cues.has('number') && !cues.has('code') && !/\d/.test(plain);
  const named = cues.has('flag') ? FLAG : cues.has('envvar') ? ENV_NAME : cues.has('call') ? CALL : undefined;
  const lacksCode =
    cues.has('code') &&
    !cues.has('number') &&
    (named ? !named.test(text) : !IDENTIFIER.test(text) && !COMMAND.test(text));
  return lacksNumber || lacksCode;
}
