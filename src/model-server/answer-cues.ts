/** The kind of sentence a question's form asks for, and how much a sentence reads like one. */
import type { AnswerCue } from './ask.js';

const UNIT = String.raw`(?:ms|milliseconds?|s|secs?|seconds?|min|minutes?|h|hrs?|hours?|days?|weeks?|[kmgt]i?b|bytes?|%|percent|tokens?|characters?|chars|items?|times|retries|attempts|requests?|workers?|threads?|connections?|lines?|mb\/s|px)`;
const NUMBER_WORDS =
  /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|million|once|twice|half|double)\b/i;
const IDENTIFIER =
  /`[^`]+`|(?:^|\s)--?[a-z][\w-]*|\b[a-z]+[A-Z]\w*\b|\b[A-Z][a-z]+[A-Z]\w*\b|\b\w+_\w+\b|\b\w+\.\w+(?:\(\))?|\b\w+\(\)/;
const COMMAND =
  /(?:^|`|\$\s)(?:npm|npx|yarn|pnpm|git|node|pip|python3?|docker|kubectl|curl|make|cargo|go|brew|apt(?:-get)?)\s/;
/** A sentence that opens with what to do ("Use…", "Pass…", "Do not…"). */
export const IMPERATIVE =
  /^(?:use|pass|call|set|add|run|create|define|register|install|configure|enable|disable|import|wrap|write|return|start|make|provide|specify|put|open|follow|replace|implement|attach|declare|mark|give|keep|avoid|ensure|check|prefer|choose|select|include|remove|store|send|signal|await|handle|catch|raise|throw|point|list|export|do not|don't|never|always)\b/i;

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
      case 'code':
        s = has(COMMAND) ? 1 : has(IDENTIFIER) ? 0.8 : 0;
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
      case 'time':
        s = new RegExp(String.raw`\d[\d.,]*\s?${UNIT}\b`, 'i').test(text)
          ? 0.9
          : has(
                /\b(?:when|after|before|until|once|while|during|every|within|timeout|expires?|immediately)\b/i
              )
            ? 0.6
            : 0;
        break;
      case 'consequence':
        s = has(
          /\b(?:fails?|failed|failure|errors?|throws?|raises?|retr(?:y|ies|ied)|lost|recover(?:s|ed)?|crash(?:es|ed)?|restarts?|resumes?|replay(?:s|ed)?|rolls? back|times? out)\b/i
        )
          ? 0.7
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
  const lacksCode = cues.has('code') && !cues.has('number') && !IDENTIFIER.test(text) && !COMMAND.test(text);
  return lacksNumber || lacksCode;
}
