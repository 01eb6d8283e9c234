// Reference documentation as manual pages ship it: AsciiDoc and reStructuredText with underlined
// titles, `term::` and ``name`` definition lists and listing blocks, DocBook option lists, and FAQs —
// as written and flattened to one line the way a corpus search hands out excerpts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { segment, splitSentences, type Unit } from '../../src/model-server/segment.js';
import { between, corpusDoc, fixtureDoc } from './reference-docs.js';
import { flatten, htmlText } from './third-party.js';

const tig = fixtureDoc('tig.1.adoc');
const find = (units: Unit[], re: RegExp) => units.find((u) => re.test(u.plain));

test('an AsciiDoc manual page: underlined titles are headings, a `term::` labels the sentences that describe it', () => {
  const section = between(tig, 'ENVIRONMENT VARIABLES\n', 'FILES\n-----');
  for (const [form, text] of [
    ['as written', section],
    ['flattened', flatten(section)],
  ] as const) {
    const { units, headings } = segment(text);
    assert.ok(headings.includes('ENVIRONMENT VARIABLES'), `${form}: ${headings.join(' | ')}`);
    const editor = find(units, /^The editor command to use when visiting files/);
    assert.equal(editor?.label, 'TIG_EDITOR', `${form}: the sentence describes TIG_EDITOR`);
    assert.equal(editor?.heading, 'ENVIRONMENT VARIABLES', form);
    const overrides = find(units, /overrides \(in order of precedence\)/);
    assert.equal(overrides?.label, 'TIG_EDITOR', `${form}: so does the next sentence of its entry`);
    assert.equal(find(units, /^Path of the user configuration file/)?.label, 'TIGRC_USER');
    for (const u of units)
      assert.doesNotMatch(u.text, /::|^-{3,}|\+$/, `${form}: no markup quoted: ${u.text}`);
  }
});

test('an AsciiDoc option list: options with a value are names; listing blocks between ---- lines are code', () => {
  const options = between(tig, 'OPTIONS\n-------', 'PAGER MODE');
  const units = segment(options).units;
  assert.equal(find(units, /^Run as if Tig was started in/)?.label, '-C <path>');
  assert.equal(find(units, /^Show version and exit/)?.label, '-v, --version');
  // Flattened the way an excerpt of the page reads once "<path>" went with the other tags.
  assert.equal(find(segment(flatten(options)).units, /^Run as if Tig was started in/)?.label, '-C');

  // Each example is a lead-in and a one-line listing block: read together, as one how-to sentence
  // ("…on the command line: `$ tig --all`"), the listing's markup gone.
  const examples = between(tig, 'EXAMPLES\n--------', 'ENVIRONMENT VARIABLES');
  for (const text of [examples, flatten(examples)]) {
    const { units: all } = segment(text, { keepCode: true });
    const all_ = find(all, /^Pretend as if all the refs in refs\/ are listed on the command line:/);
    assert.equal(
      all_?.text,
      'Pretend as if all the refs in `refs/` are listed on the command line: `$ tig --all`'
    );
    assert.ok(!all_?.leadIn);
    assert.ok(
      find(all, /^Display differences between two branches: \$ tig test\.\.master$/),
      'not a table of contents'
    );
    for (const u of all) assert.doesNotMatch(u.text, /-{4,}/, u.text);
  }
  // A block of several lines stays code, after its lead-in.
  const { units: multi } = segment(
    'To run both commands, type these lines:\n\n----\n$ tig --all\n$ tig stash\n----\n',
    {
      keepCode: true,
    }
  );
  assert.ok(
    multi.some((u) => u.kind === 'code' && /tig --all/.test(u.text)),
    multi.map((u) => u.text).join(' | ')
  );
  assert.ok(find(multi, /^To run both commands, type these lines:$/)?.leadIn);
});

test('reStructuredText help: a ``name`` entry labels its description, which keeps its "(default: …)"', () => {
  const smtp = between(
    corpusDoc('mercurial-help/docs/config.txt'),
    '``smtp``\n--------',
    '``local_hostname``'
  );
  for (const text of [smtp, flatten(smtp)]) {
    const { units } = segment(text);
    const port = find(units, /^Port to connect to on mail server/);
    assert.equal(port?.label, 'port', port?.plain);
    assert.match(port!.plain, /\(default: 465 if tls is smtps; 25 otherwise\)$/);
    assert.equal(find(units, /^Method to enable TLS/)?.label, 'tls');
    assert.match(find(units, /^Method to enable TLS/)!.plain, /\(default: none\)$/);
    assert.ok(
      units.every((u) => !/^\(default/.test(u.plain)),
      'an aside is never a sentence of its own'
    );
  }
});

test('DocBook option lists: every sentence of an entry is labelled with its parameter', () => {
  const html = corpusDoc('postgresql-manual/docs/runtime-config-autovacuum.html');
  const entries = flatten(
    htmlText(
      between(html, '<dt id="GUC-AUTOVACUUM-NAPTIME"', '<dt id="GUC-AUTOVACUUM-VACUUM-INSERT-THRESHOLD"')
    )
  );
  const { units } = segment(entries);
  assert.equal(find(units, /^The default is one minute \(1min\)\.$/)?.label, 'autovacuum_naptime');
  assert.equal(find(units, /^The default is 50 tuples\.$/)?.label, 'autovacuum_vacuum_threshold');
  // An excerpt that starts at an entry starts with its name, in lower case, and keeps it.
  const cut = segment(`… - ${entries}`);
  assert.match(cut.units[0]!.plain, /^autovacuum_naptime \(integer\): Specifies the minimum delay/);
});

test('an FAQ: the question heads its answer and is not quoted; a bare "No." stays with what follows', () => {
  const faq = fixtureDoc('curl-FAQ.md');
  const entry = between(faq, '## Can I write a server with libcurl?', '## Does libcurl use threads?');
  for (const text of [entry, flatten(entry), entry.replace(/^## /, '')]) {
    const { units } = segment(text);
    assert.match(units[0]!.plain, /^No\. libcurl offers no functions or building blocks/, text.slice(0, 80));
    assert.equal(units[0]!.heading, 'Can I write a server with libcurl?');
    assert.ok(
      units.every((u) => !u.plain.endsWith('?')),
      'the question is not an answer'
    );
  }
  const bare = between(
    faq,
    '## Can I use curl to send a POST/PUT and not wait for a response?',
    '## How do I get'
  );
  assert.match(segment(flatten(bare)).units[0]!.plain, /^No\. You can easily write your own program/);
});

test('sentences: an aside in brackets is not cut at its abbreviation, and "(default: 600)" stays with its sentence', () => {
  assert.deepEqual(
    splitSentences(
      'Your program will run much slower (eg. 20 to 30 times) than normal. It uses more memory.'
    ),
    ['Your program will run much slower (eg. 20 to 30 times) than normal.', 'It uses more memory.']
  );
  assert.deepEqual(
    splitSentences('The timeout used when a lock is held (in seconds). (default: 600) Next entry follows.'),
    ['The timeout used when a lock is held (in seconds). (default: 600)', 'Next entry follows.']
  );
  // A release note's annotation in square brackets (GNU NEWS) qualifies the entry before it.
  assert.deepEqual(
    splitSentences(
      'frob no longer crashes with -r and no file operand. [bug introduced in frob-2.11] Recursive frob now uses fts. [Note] Labels open what follows.'
    ),
    [
      'frob no longer crashes with -r and no file operand. [bug introduced in frob-2.11]',
      'Recursive frob now uses fts.',
      '[Note] Labels open what follows.',
    ]
  );
});

test('a table of contents flattened to numbered titles is left out, numbers in sentences are not', () => {
  const html = corpusDoc('postgresql-manual/docs/runtime-config.html');
  const toc = flatten(between(html, '<div class="toc">', '</div>').replace(/<\/(?:dt|dd|span)>/g, ' $&'));
  assert.match(toc, /^Table of Contents 20\.1\. Setting Parameters 20\.1\.1\. Parameter Names and Values/);
  assert.deepEqual(
    segment(toc).units.map((u) => u.plain),
    []
  );
  const prose = segment('To disable the history set this value to 0. See Section 25.1 for more details.');
  assert.equal(prose.units.length, 2, prose.dropped.map((d) => d.reason).join());
});

test('an option whose value placeholder is followed by a colon: the colon is not part of the name', () => {
  const { units } = segment('--restrict-key=restrict_key : Use the provided string as the key.');
  assert.equal(units[0]?.label, '--restrict-key=restrict_key');
  assert.match(units[0]!.plain, /^--restrict-key=restrict_key: Use/);
  // A colon inside the value is part of it.
  assert.equal(segment('--format=%H:%M Sets the clock format.').units[0]?.label, '--format=%H:%M');
});
