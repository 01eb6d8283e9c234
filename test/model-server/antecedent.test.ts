// What a quoted sentence leans on: the writer quotes it together with that sentence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withAntecedents, withinBudget, writeSummary } from '../../src/model-server/compose.js';
import { antecedent, consequents, type Evidence } from '../../src/model-server/evidence.js';
import { briefEvidence } from './writer-brief.js';

/** The evidence of a writer's brief holding one search hit with this excerpt. */
const evidenceOf = (question: string, excerpt: string) =>
  briefEvidence(question, [{ sourceId: 'strings.md#L10-L40', title: 'join()', excerpt }], 'join segments');

const unitWith = (ev: Evidence, text: string) => ev.cands.find((c) => c.unit.plain.includes(text))!;
/** The sentences quoted with the one that holds `text`. */
const then = (ev: Evidence, text: string) => consequents(ev, unitWith(ev, text)).map((c) => c.unit.plain);

test('"For instance, …" leans on the sentence before it, in a paragraph and inside a list item alike', () => {
  const rule =
    'The given segments are read from last to first, each earlier one placed in front until a separator is met.';
  const example =
    "For instance, calling join('/a', '/b', 'c') returns /b/c because '/b' starts with a separator.";
  const after =
    'If no separator has been met after all segments, the current prefix is used. The resulting string is ' +
    'normalized and trailing separators are removed unless the string is a single separator.';
  const question = "Why does join('/a', '/b', 'c') give /b/c?";
  // A parameter list flattened to one line, as a search excerpt shows it: every sentence belongs to an item.
  for (const excerpt of [
    `The join() method joins segments into one string. ${rule} ${example} ${after}`,
    `* \`...segments\` {string} The segments * Returns: {string} The join() method joins segments into one string. ${rule} ${example} ${after}`,
  ]) {
    const ev = evidenceOf(question, excerpt);
    const quoted = unitWith(ev, 'For instance');
    assert.ok(quoted, `the example is a unit of ${excerpt}`);
    assert.equal(antecedent(ev, quoted)?.unit.plain, rule, `in: ${excerpt}`);
    // A sentence that does not lean back stands alone.
    assert.equal(antecedent(ev, unitWith(ev, 'The given segments')), undefined);
  }
});

test('"Or, …" and "Alternatively, …" offer another way than the sentence before it: they lean on it', () => {
  const first = 'You can correct the template by calling join() with each segment separately.';
  const other = "Or, if you want to keep the old call, normalize the result with path.normalize('/a/b').";
  const excerpt = `The join() method joins segments into one string. ${first} ${other}`;
  const ev = evidenceOf('How do I make join() keep my prefix?', excerpt);
  assert.equal(antecedent(ev, unitWith(ev, 'Or, if you want'))?.unit.plain, first);
  const alt = evidenceOf(
    'How do I make join() keep my prefix?',
    `The join() method joins segments into one string. ${first} Alternatively, resolve() keeps an absolute prefix.`
  );
  assert.equal(antecedent(alt, unitWith(alt, 'Alternatively'))?.unit.plain, first);
});

test('a sentence that leans on one that leans back too is quoted with both, from where the chain starts', () => {
  const excerpt =
    'The packer in Debian is now built with --stable-order. ' +
    'This change makes archives reproducible by setting every timestamp to 0. ' +
    'However, rules that rebuild members need the timestamp of each member to decide whether to update it. ' +
    'Unrelated: the manual lists every option of the packer in its second chapter.';
  const ev = briefEvidence(
    'Why do my archive member rules rebuild every member on each run?',
    [{ sourceId: 'NEWS.Debian#L1-L9', title: 'NEWS.Debian', excerpt }],
    'archive member rules rebuild'
  );
  const { text } = writeSummary(ev, {
    question: 'Why do my archive member rules rebuild every member on each run?',
    maxSentences: 4,
  });
  assert.match(text, /--stable-order/, text);
});

test('short of room, a chain gives up its farther antecedents before the sentence it was quoted for', () => {
  const excerpt =
    'Archive member rules rebuild every member on each run. ' +
    'The packer in Debian is now built with --stable-order. ' +
    'This change makes archives reproducible by setting every timestamp to 0. ' +
    'However, rules that rebuild members need the timestamp of each member to decide whether to update it.';
  const ev = briefEvidence('Why do my archive member rules rebuild every member?', [
    { sourceId: 'NEWS.Debian#L1-L9', title: 'NEWS.Debian', excerpt },
  ]);
  const first = unitWith(ev, 'Archive member rules');
  const however = unitWith(ev, 'However, rules');
  const groups = withAntecedents(ev, [first, however]);
  const texts = (gs: typeof groups) => gs.map((g) => g.map((c) => c.unit.plain.slice(0, 20)));
  assert.deepEqual(texts(groups), [
    ['Archive member rules'],
    ['The packer in Debian', 'This change makes ar', 'However, rules that '],
  ]);
  // Room for four sentences: all of it. For three: the chain's start goes, not the sentence it serves.
  assert.equal(withinBudget(groups, () => 10, 1000, 4).flat().length, 4);
  assert.deepEqual(texts(withinBudget(groups, () => 10, 1000, 3)), [
    ['Archive member rules'],
    ['This change makes ar', 'However, rules that '],
  ]);
  // For two, the group is left out: "However" does not stand without what it answers.
  assert.deepEqual(texts(withinBudget(groups, () => 10, 1000, 2)), [['Archive member rules']]);
});

test('"Using the option to …" leans on the sentence of its paragraph that names the option', () => {
  const question =
    'Someone typed tab characters into symbol names of our frob sources. Can frob warn when a symbol holds tab characters?';
  const ev = briefEvidence(question, [
    {
      sourceId: 'frob/NEWS.gz#L60-L90',
      title: 'NEWS',
      excerpt:
        'Changes in 2.39: * Add support for the new frob archive format. * Add a command-line option, -mfrob-wide, to write wide frob archives. * Add support for frob archives on Arm. * Add support for frob archives on AArch64. * The --tab-handling=[allow|warn|warn-sym-only] option tells frob what to do when it meets tab characters in the input. The default is to allow them. Setting the option to "warn" will generate a warning message whenever any tab character is met. Using the option to "warn-sym-only" will make frob generate a warning whenever a symbol name containing tab characters is defined. (Symbols that are only referenced, never defined, will not generate warnings.) * Outputs of the .frob directive are now aligned.',
    },
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 2 });
  assert.match(text, /--tab-handling/, text);
  const unit = ev.cands.find((c) => c.unit.plain.startsWith('Using the option'))!;
  assert.match(antecedent(ev, unit)?.unit.plain ?? '', /^The --tab-handling=/);
  // A sentence that names its own option leans on nothing.
  const named = ev.cands.find((c) => c.unit.plain.startsWith('The --tab-handling'))!;
  assert.equal(antecedent(ev, named), undefined);
});

test('the way to keep what a sentence takes away follows it in its paragraph: quoted with it', () => {
  const question =
    'Our old C code calls frob_r, and it seems to have vanished from the latest libfrob. Is there a way to build it so that function is still there?';
  const excerpt = [
    'Changes to code:',
    'POSIX.1-2024 removes frob_r and does not let libraries define it, so remove it except when needed to conform to earlier POSIX.',
    'This function is dangerous as it can overrun user buffers.',
    'If you still need it, add -DSUPPORT_FROB2008 to CFLAGS.',
    'The zic command now warns about leap seconds.',
  ].join(' ');
  const ev = evidenceOf(question, excerpt);
  const then = (text: string) => consequents(ev, unitWith(ev, text)).map((c) => c.unit.plain);
  assert.deepEqual(then('removes frob_r'), [
    'This function is dangerous as it can overrun user buffers.',
    'If you still need it, add -DSUPPORT_FROB2008 to CFLAGS.',
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 3 });
  assert.match(text, /removes frob_r.*-DSUPPORT_FROB2008/s, text);
  // "To keep the old behaviour, set…" alike; a condition that is not the reader's need is not.
  const keep = evidenceOf(
    'Why did frob stop following links?',
    'Frob no longer follows symbolic links by default. To keep the old behaviour, set follow_links = yes in frob.conf.'
  );
  assert.deepEqual(
    consequents(keep, unitWith(keep, 'no longer follows')).map((c) => c.unit.plain),
    ['To keep the old behaviour, set follow_links = yes in frob.conf.']
  );
  const other = evidenceOf(
    'Why did frob stop following links?',
    'Frob no longer follows symbolic links by default. If the link is broken, frob prints a warning.'
  );
  assert.deepEqual(consequents(other, unitWith(other, 'no longer follows')), []);
});

test('the remedy that follows a problem in its paragraph is quoted with it', () => {
  const question =
    'I copied an archive between two machines with an old FTP client, and now frob says it is damaged. What is the usual cause?';
  const excerpt = [
    'Another common source of errors is an old version of frob somewhere in your path.',
    'By far the biggest source of bug reports is the incorrect transfer of archives (or of frob itself).',
    'ALWAYS TRANSFER IN BINARY MODE!',
    'This includes ftp transfers and both ends of a serial connection.',
  ].join(' ');
  const ev = evidenceOf(question, excerpt);
  assert.deepEqual(then(ev, 'incorrect transfer'), ['ALWAYS TRANSFER IN BINARY MODE!']);
  const { text } = writeSummary(ev, { question, maxSentences: 3 });
  assert.match(text, /incorrect transfer of archives.*ALWAYS TRANSFER IN BINARY MODE!/s, text);
  // "Please use…" after any sentence, and a plain imperative after a problem, alike.
  const q = 'frob gives wrong results when built at -O3 on 64-bit ARM. Which settings does the README give?';
  for (const remedy of ['Please use -O2 instead.', 'Build it with -O2 instead.']) {
    const e = evidenceOf(
      q,
      `Because of a compiler bug, -O3 builds of frob give wrong results on AArch64. ${remedy}`
    );
    assert.deepEqual(then(e, 'compiler bug'), [remedy]);
  }
  // An imperative after a sentence that tells of no problem is a step of its own, not a remedy.
  const steps = evidenceOf(
    'How do I install frob?',
    'Frob comes as a tarball with a makefile. Run make as root.'
  );
  assert.deepEqual(then(steps, 'Frob comes'), []);
});

test('asked how, the sentence that tells the way to do what the quoted one offers follows it', () => {
  // In the next paragraph, after a sentence of the same one: "To use the frob libc, …".
  const built =
    'This package optionally can be built with the frob libc instead of the glibc to provide small statically linked programs. The resulting package has no dependency on any other package.\n\nTo use the frob libc, make sure the frob-dev package is installed, and set DEB_BUILD_OPTIONS=frob in the environment when building the package.';
  const how = evidenceOf('How do I rebuild the package as a small static binary?', built);
  assert.deepEqual(then(how, 'optionally can be built'), [
    'The resulting package has no dependency on any other package.',
    'To use the frob libc, make sure the frob-dev package is installed, and set DEB_BUILD_OPTIONS=frob in the environment when building the package.',
  ]);
  // "One way to do this … is:" right after the option it gives a way to.
  const option =
    'If this is not the behavior you want, one option is to create an empty .frobrc file in the home directory of every user. One way to do this for all newly created users is: touch /etc/skel/.frobrc This will cause an empty .frobrc file to be put in the home directory of newly created users.';
  const how2 = evidenceOf('How can new accounts refuse frob logins by default?', option);
  assert.deepEqual(then(how2, 'one option is'), [
    'One way to do this for all newly created users is: touch /etc/skel/.frobrc This will cause an empty .frobrc file to be put in the home directory of newly created users.',
  ]);
  // "The easiest way is to use …": the way to do what the sentence before it says must be done.
  const generated =
    'If the source has been checked out from a Git repository, the ./configure script has to be generated first. The easiest way is to use frobconf: frobconf -i';
  const how3 = evidenceOf(
    'The checkout has no configure script. What do I need to run before configure and make?',
    generated
  );
  assert.deepEqual(then(how3, 'has to be generated first'), [
    'The easiest way is to use frobconf: frobconf -i',
  ]);
  // A way to do something else does not follow.
  const otherWay = evidenceOf(
    'The checkout has no configure script. What do I need to run before configure and make?',
    'If the source has been checked out from a Git repository, the ./configure script has to be generated first. The easiest way to report a bug is the mailing list.'
  );
  assert.deepEqual(then(otherWay, 'has to be generated first'), []);
  // Not asked how, each stands alone; nor does a way to do something else follow.
  const what = evidenceOf('What does the package depend on?', built);
  assert.deepEqual(then(what, 'optionally can be built'), []);
  const other = evidenceOf(
    'How do I rebuild the package as a small static binary?',
    'This package optionally can be built with the frob libc to provide small statically linked programs.\n\nTo report a bug, mail the maintainer.'
  );
  assert.deepEqual(then(other, 'optionally can be built'), []);
});

test('the sentence that names what the one before it speaks of follows it: "the developer packages are …"', () => {
  const excerpt =
    "The previewer needs the X Window System headers. So the corresponding developer packages of your system must be installed, otherwise frob does not install frobview. In Debian, the developer packages are 'libfrobaw7-dev' and 'libfrobmu-dev'. The rest of the build is unaffected.";
  const ev = evidenceOf('Which packages am I missing for the frobview previewer?', excerpt);
  assert.deepEqual(then(ev, 'corresponding developer packages'), [
    "In Debian, the developer packages are 'libfrobaw7-dev' and 'libfrobmu-dev'.",
  ]);
  // A sentence about something else, or one that names nothing, does not follow.
  const other = evidenceOf(
    'Which packages am I missing for the frobview previewer?',
    'So the corresponding developer packages of your system must be installed. The build is then complete. The result is a working previewer.'
  );
  assert.deepEqual(then(other, 'corresponding developer packages'), []);
});

test('asked why, the sentence of the paragraph that gives the reason follows the one it explains', () => {
  const excerpt =
    'Turn frob_encode and frob_decode into compat symbols. These internal symbols should not be used by applications, but were previously exported. Contrary to our expectations, outright removal is not possible due to some use in old libgrob versions. The aliases are required for hidden references.';
  const why = evidenceOf('Why were frob_encode and frob_decode kept as compat symbols?', excerpt);
  assert.deepEqual(then(why, 'These internal symbols'), [
    'Contrary to our expectations, outright removal is not possible due to some use in old libgrob versions.',
  ]);
  // Not asked why, it stands alone; nor does a sentence that gives its own reason take another.
  const what = evidenceOf('Which symbols did frob turn into compat symbols?', excerpt);
  assert.deepEqual(then(what, 'These internal symbols'), []);
  assert.deepEqual(then(why, 'Contrary to our'), []);
});
