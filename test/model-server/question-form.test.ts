import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerCues, askingClauses, questionSentences } from '../../src/model-server/question-form.js';
import { extraposed, focusTerms, queryWeights } from '../../src/model-server/question-terms.js';

test('a question splits into sentences after a version number, not inside an abbreviation', () => {
  assert.deepEqual(questionSentences('My tool ignores tag v1.2. Why?'), [
    'My tool ignores tag v1.2.',
    'Why?',
  ]);
  assert.deepEqual(questionSentences('Can I pass e.g. a path instead?'), ['Can I pass e.g. a path instead?']);
});

test('"Why, and how do I…" asks for a reason and a procedure, even after a sentence ending in a number', () => {
  const q = 'The tool skips my tag v1.2. Why, and how do I make it consider that tag?';
  assert.deepEqual(askingClauses(q), ['Why', 'how do I make it consider that tag?']);
  assert.deepEqual([...answerCues(q).cues].sort(), ['procedure', 'reason']);
});

test('"Is it a problem to <do something>?": the subject is the action, not the words that ask about it', () => {
  const question = 'Is it a problem to start thousands of compression streams in a loop?';
  const weights = queryWeights({ question, focus: '', context: [], searched: [] });
  const focus = focusTerms(question, weights);
  assert.ok(focus.has('compress') || focus.has('compression'), [...focus].join(' '));
  assert.ok(!focus.has('problem'), `"a problem" is what is asked of it: ${[...focus].join(' ')}`);
  assert.deepEqual(extraposed('Is it a good idea to set the timeout globally?'), {
    predicate: 'a good idea',
    subject: 'set the timeout globally?',
  });
  // "to" before a noun phrase is a place, not an action.
  assert.equal(extraposed('Is it added to the queue?'), undefined);
});

test('"How long does X wait…": the word after "how" says what kind of answer is wanted, not what the question is about', () => {
  const question = 'How long does a backend wait on a lock before checking for a deadlock?';
  const focus = focusTerms(question, queryWeights({ question, focus: '', context: [], searched: [] }));
  assert.ok(!focus.has('long'), [...focus].join(' '));
  assert.ok(focus.has('backend'), [...focus].join(' '));
});

test('"By default, how often…" asks for the default: a leading setting is part of what is asked', () => {
  assert.ok(answerCues('By default, how often does the server take a checkpoint?').cues.has('default'));
  assert.ok(answerCues('How often does the server take a checkpoint by default?').cues.has('default'));
  assert.ok(
    !answerCues('With replication on, how often does the server take a checkpoint?').cues.has('default')
  );
});

test('"how recent must it be" asks for a version', () => {
  const cues = answerCues('How recent does Automake have to be?').cues;
  assert.ok(cues.has('release') && cues.has('number'), [...cues].join(' '));
});

test('"if I leave the settings alone" asks for the default', () => {
  assert.ok(
    answerCues('When does the server start a new log file if I leave the rotation settings alone?').cues.has(
      'default'
    )
  );
  assert.ok(answerCues("What does frob do if I don't touch its config?").cues.has('default'));
  assert.ok(!answerCues('How do I leave the shell without closing the session?').cues.has('default'));
  assert.ok(!answerCues('Can I make frobctl leave the service manager alone?').cues.has('default'));
});

test('a leading condition ("Without making it recursive, how do I…") does not hide what the clause asks', () => {
  const cues = (q: string) => [...answerCues(q).cues].sort();
  assert.deepEqual(
    cues('Without making the search recursive, how do I tell frob to quietly pass over directories?'),
    ['procedure']
  );
  assert.deepEqual(cues('While a check is running, how do I see its progress?'), ['procedure']);
  assert.deepEqual(cues('Unless told otherwise, how many workers does frob start?').includes('number'), true);
});

test('"Is there a way to…" asks how, as "how do I…" does; "is there a bug" does not', () => {
  const cues = (q: string) => answerCues(q).cues;
  for (const q of [
    'Is there a way to build frob so that the old functions are still there?',
    'Is there any way to make frob skip hidden files?',
    'Are there ways to run frob without root?',
  ])
    assert.ok(cues(q).has('procedure'), q);
  assert.ok(!cues('Is there a bug in frob 2.1?').has('procedure'));
  assert.ok(!cues('Is there a limit on the way frob names files?').has('procedure'));
});

test('"What do I need to run…" asks how, as "how do I…" does; "what do I need" alone does not', () => {
  const cues = (q: string) => answerCues(q).cues;
  for (const q of [
    'The checkout has no configure script. What do I need to run before configure and make?',
    'What should we do to make frob start at boot?',
    'What must I type to leave the frob shell?',
  ])
    assert.ok(cues(q).has('procedure'), q);
  assert.ok(!cues('What do I need for a frob build?').has('procedure'));
  // What to call or install is a name, not steps.
  assert.ok(!cues('What do I have to call instead to get the old behaviour?').has('procedure'));
  assert.ok(!cues('What do I need to install for the previewer?').has('procedure'));
  assert.ok(!cues('What do the run levels mean?').has('procedure'));
});

test('the setting of a question is where it sits, not the purpose of an infinitive or a pronoun', async () => {
  const { settingOf } = await import('../../src/model-server/question-terms.js');
  assert.equal(settingOf('Do I need a full restart for it to take effect?'), undefined);
  assert.equal(
    settingOf('How can I make the module leave the work to the operating system?'),
    'the operating system'
  );
  assert.equal(settingOf('How do I log requests in fastify?'), 'fastify');
  assert.equal(settingOf('I want to track one file. How?'), undefined);
});

test('a size spelled out in full units is a number with its unit', async () => {
  const { cueScore } = await import('../../src/model-server/answer-cues.js');
  const number = new Set(['number'] as const);
  assert.equal(cueScore('The default is 10 megabytes.', number), 1);
  assert.equal(cueScore('The limit is 2 gigabytes per file.', number), 1);
  assert.equal(cueScore('The default is 10.', number), 0.6);
});

test('an idiom is read as its plain word wherever the question is read: "at the same time" is no setting', async () => {
  const { documentTerms, focusTerms, queryWeights } =
    await import('../../src/model-server/question-terms.js');
  const question = 'Is it a problem to start thousands of compress() calls at the same time, say in a loop?';
  assert.ok(!documentTerms(question).has('time'), [...documentTerms(question)].join(' '));
  const weights = queryWeights({ question, focus: '', context: [], searched: [] });
  assert.ok(focusTerms(question, weights).has('simultaneous'));
});

test('"unless configured otherwise" asks for the default: a cue, neither the setting nor the subject', async () => {
  const { settingOf, queryWeights } = await import('../../src/model-server/question-terms.js');
  const question = 'How many rows are listed on the report page unless configured otherwise?';
  assert.ok(answerCues(question).cues.has('default'));
  assert.equal(settingOf(question), 'the report page');
  const weights = queryWeights({ question, focus: '', context: [], searched: [] });
  assert.ok(!weights.has('unless') && !weights.has('otherwis'), [...weights.keys()].join(' '));
  assert.ok(weights.has('row') && weights.has('report'));
});

test('phrasal verbs read as the word documentation uses: the verb and its particle are not the subject', async () => {
  const { plainWords } = await import('../../src/common/idioms.js');
  const { stem } = await import('../../src/model-server/terms.js');
  for (const [asked, plain] of [
    ['How does a function tell me it failed? What comes back?', 'returns'],
    ['How do I throw away its saved builds?', 'discard'],
    ['Can I throw them away?', 'discard them'],
    ['Why does my file show up twice?', 'appear'],
    ['How can I speed up the build?', 'faster'],
    ['Why does the request keep timing out?', 'timeout'],
    ['How do I back up the database?', 'backup'],
    ['Is there a way to start over from scratch?', 'restart'],
    ['Can I wrap VACUUM in BEGIN and COMMIT with my other statements?', 'transaction block'],
    ['Does frob still work between BEGIN/COMMIT?', 'transaction block'],
    ['How do I leave out one test when I run the suite?', 'exclude one test'],
    ["I don't want it to set the modification times", 'modification times (timestamp)'],
    ['Are the timestamps kept?', 'timestamps (modification time)'],
    ['It crashes when the limit on open file descriptors is unlimited', '(RLIMIT_NOFILE)'],
    ['What if RLIMIT_NOFILE is huge?', 'RLIMIT_NOFILE (open files limit)'],
    ['My ulimit -c is zero', '(RLIMIT_CORE)'],
    ['I feed it data on standard input', 'standard input (stdin)'],
    ['Does it read stdin?', 'stdin (standard input)'],
    ["only from the kernel's non-blocking random device", 'non-blocking random device (urandom)'],
    ['Why read /dev/urandom?', '/dev/urandom (non-blocking random device)'],
    ['We build it for 64-bit ARM', '64-bit ARM (AArch64)'],
    ['Does it run on arm64?', 'arm64 (AArch64)'],
    ['Is AArch64 supported?', 'AArch64 (arm64 64-bit ARM)'],
    ['On amd64 it fails', 'amd64 (x86-64)'],
    ['On x86_64 it fails', 'x86_64 (amd64 x64)'],
    ['a denial of service in the parser', 'denial of service (DoS)'],
    ['Fix a potential DoS', 'DoS (denial of service)'],
    ['the German manual pages', 'manual pages (manpages)'],
    ['Which man page says it?', 'man page (manual pages)'],
  ] as const)
    assert.ok(plainWords(asked).includes(plain), `${asked} → ${plainWords(asked)}`);
  // A particle that is not part of a phrasal verb stays.
  assert.equal(plainWords('Go back to the previous page'), 'Go back to the previous page');
  // Two words that are only one name's parts stay as they are.
  assert.equal(plainWords('the standard and its input'), 'the standard and its input');
  // MS-DOS is no denial of service.
  assert.equal(plainWords('It runs on DOS and dos.'), 'It runs on DOS and dos.');
  const question = 'How does a Nettle function tell me it failed? What comes back?';
  const focus = focusTerms(question, queryWeights({ question, focus: '', context: [], searched: [] }));
  assert.ok(!focus.has(stem('come')) && !focus.has(stem('back')), [...focus].join(' '));
});

test('"What does the manual advise / suggest / recommend?" asks for advice, not a definition', () => {
  for (const q of [
    'A legacy protocol of ours keys RC4 with a passphrase. What does Nettle advise about that?',
    'What does Debian suggest I install it with?',
    'Which allocator do the docs recommend for tests?',
  ]) {
    const { cues } = answerCues(q);
    assert.ok(cues.has('advice') && !cues.has('definition'), `${q}: ${[...cues].join(' ')}`);
  }
  assert.ok(answerCues('What does the -k flag do?').cues.has('definition'));
  // "Which option should I use?" asks for the option, not for a recommendation; "Should I…?" does.
  const which = answerCues('I unpack over existing files. Which option should I use?').cues;
  assert.ok(which.has('flag') && !which.has('advice'), [...which].join(' '));
  assert.ok(answerCues('Should I use the -p option here?').cues.has('advice'));
  assert.ok(answerCues('What should I use instead of cron?').cues.has('advice'));
});

test('"Apart from X, can …": what the asker sets aside is neither the subject nor where to look', async () => {
  const { settingOf } = await import('../../src/model-server/question-terms.js');
  const question = 'Apart from my own config file, can an administrator change the proxy for all users?';
  const focus = focusTerms(question, queryWeights({ question, focus: '', context: [], searched: [] }));
  assert.ok(!focus.has('apart'), [...focus].join(' '));
  assert.ok(focus.has('proxi') || focus.has('proxy'), [...focus].join(' '));
  assert.equal(settingOf('Besides the manual, how do I change the proxy for all users?'), 'all users');
});

test('which release is asked for, with a few words naming what it is a release of', () => {
  for (const q of [
    'Which version of frob added the archive format?',
    'In which Debian frob package revision did that change come in?',
    'Since which frob release is the lamp lit at dusk?',
  ])
    assert.ok(answerCues(q).cues.has('release'), q);
  assert.ok(!answerCues('Which of the frob options keeps the lamp lit all night long?').cues.has('release'));
});

test('which update brought something asks for a release; what updates a file does not', () => {
  for (const q of ['Which frob-roots update added those roots?', 'In which frob update was the crash fixed?'])
    assert.ok(answerCues(q).cues.has('release'), q);
  for (const q of ['What updates the frob cache after an install?', 'Which files does the update touch?'])
    assert.ok(!answerCues(q).cues.has('release'), q);
});

test('a question opening on a preposition and its wh-word ("In what situation does…") is about what follows', () => {
  for (const question of [
    'In what situation does that frob bug actually leak a password?',
    'Under which conditions does the frob cache drop its entries?',
  ]) {
    const focus = focusTerms(question, queryWeights({ question, focus: '', context: [], searched: [] }));
    assert.ok(focus.has('bug') || focus.has('cach'), `${question}: ${[...focus].join(' ')}`);
    assert.ok(answerCues(question).cues.has('condition'), question);
  }
  assert.ok(!answerCues('What does the frob cache hold?').cues.has('condition'));
});

test('what to pass to a program asks for its options: code', () => {
  for (const q of [
    'What do I pass to configure so the lamp library is bundled in?',
    'What should I pass to frob to keep the wick trimmed?',
  ])
    assert.ok(answerCues(q).cues.has('code'), q);
  for (const q of ['What do I pass on to the next keeper?', 'What happens to the oil I pass to the keeper?'])
    assert.ok(!answerCues(q).cues.has('code'), q);
});
