import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadCorpus, searchCorpus } from '../../../src/activities/corpus.js';
import { toPassages, type StoredPassage } from '../../../src/activities/corpus/passages.js';
import { htmlToLines } from '../../../src/activities/corpus/html.js';
import { textBlocks } from '../../../src/activities/corpus/text-blocks.js';
import { weightedQuery } from '../../../src/activities/corpus/query.js';
import { indexableText, tokenize } from '../../../src/activities/corpus/tokens.js';
import { writeCorpus } from './write-corpus.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'steadfast-reference-test-'));
process.env.STEADFAST_DATA_DIR = path.join(scratch, 'data');
after(() => rmSync(scratch, { recursive: true, force: true }));

const corpus = (name: string, files: Record<string, string>) => writeCorpus(scratch, name, files);

const plain = (text: string, rel = 'doc.txt') =>
  toPassages(rel, { kind: 'lines', title: rel, markdown: false, lines: text.split('\n') }, 0);
const markdown = (text: string, rel = 'doc.md') =>
  toPassages(rel, { kind: 'lines', title: rel, markdown: true, lines: text.split('\n') }, 0);
function html(page: string, rel = 'page.html'): StoredPassage[] {
  const { title, lines, regions } = htmlToLines(page, rel);
  return toPassages(rel, { kind: 'lines', title, markdown: true, lines, regions }, 0);
}

/** The passage that holds `needle` whole; fails when it is cut or missing. */
function holding(passages: StoredPassage[], needle: string): StoredPassage {
  const found = passages.find((p) => p.text.includes(needle));
  assert.ok(found, `no passage holds ${JSON.stringify(needle.slice(0, 80))} whole`);
  return found;
}

/** A manual page written in AsciiDoc, the way Git's are. */
const asciidocPage = [
  'git-frob(1)',
  '===========',
  '',
  'NAME',
  '----',
  'git-frob - Frob the objects of a repository',
  '',
  'OPTIONS',
  '-------',
  '--prune=<date>::',
  '\tPrune loose objects older than date (default is 2 weeks ago,',
  '\toverridable by the config variable `frob.pruneExpire`).',
  '+',
  'Pruning while another process writes to the repository may lose',
  'objects that process has not referenced yet; see NOTES below.',
  '+',
  '------------',
  '$ git frob --prune=now',
  '',
  '$ git frob --prune=never',
  '------------',
  '',
  '-q::',
  '--quiet::',
  '\tSuppress all progress reports.',
  '',
  '--timeout <seconds>::',
  '',
  '\tNumber of seconds to wait for the repository lock before giving up',
  '\t(default: 900). A negative value waits for as long as it takes, which',
  '\tsuits scripts that run at night.',
  '',
  'NOTES',
  '-----',
  'Frobbing is safe to interrupt: the next run starts where the last one stopped.',
  '',
  'EXAMPLES',
  '--------',
  '* Frob a broken build, then stop:',
  '+',
  '------------',
  '$ git frob start',
  '',
  '$ git frob reset                   # quit the frob session',
  '------------',
  '+',
  'or:',
  '------------',
  '$ git frob --all',
  '------------',
].join('\n');

describe('definition entries', () => {
  test('AsciiDoc: an option keeps its description, continuations and example, and is named by its term', () => {
    const passages = plain(asciidocPage, 'git-frob.txt');
    const prune = holding(passages, 'Prune loose objects older than date');
    assert.ok(prune.text.includes('objects that process has not referenced yet'), 'the "+" paragraph');
    assert.ok(prune.text.includes('$ git frob --prune=never'), 'the example listing, blank line and all');
    assert.match(prune.title, /OPTIONS · --prune=<date>$/, 'named by its term, below its section');
    assert.deepEqual(prune.headings.slice(-2), ['OPTIONS', '--prune=<date>']);
    const all = passages.flatMap((p) => p.headings);
    assert.ok(
      !all.includes('$ git frob --prune=never'),
      'a line of a listing above its delimiter is no heading'
    );
    assert.ok(all.includes('-q, --quiet'), 'terms in a row name one entry');
    const timeout = holding(passages, 'Number of seconds to wait for the repository lock');
    assert.ok(
      timeout.text.includes('--timeout <seconds>::'),
      'a description after a blank line stays with its term'
    );
    assert.ok(timeout.headings.includes('--timeout <seconds>'));
    const notes = holding(passages, 'Frobbing is safe to interrupt');
    assert.ok(!notes.headings.includes('--timeout <seconds>'), 'the next section is not under the last term');
    const example = holding(passages, '$ git frob reset');
    assert.ok(example.text.includes('Frob a broken build'), 'a listing attached by "+" stays with its item');
    assert.deepEqual(
      example.headings.slice(-1),
      ['EXAMPLES'],
      'no line of a listing, nor "or:", is a heading'
    );
    assert.ok(example.text.includes('$ git frob --all'));
  });

  test('AsciiDoc: a list nested in an entry by an open block stays below that entry, and "--" is no text', () => {
    const more = (what: string) =>
      Array.from({ length: 3 }, (_, i) => `Note ${i} on the ${what} frobbing tells when to use it.`).join(
        ' '
      );
    const page = [
      'git-frob(1)',
      '===========',
      '',
      'DESCRIPTION',
      '-----------',
      "'git frob' [<mode>] [<commit>]::",
      `\tThis form frobs the branch head to \`<commit>\` depending on \`<mode>\`. ${more('heads')}`,
      '\tIf `<mode>` is omitted, defaults to `--gentle`. The `<mode>` must be one of:',
      '+',
      '--',
      '--rough::',
      `\tFrobs the index and the working tree, discarding local changes. ${more('rough')}`,
      '',
      '--gentle::',
      `\tFrobs the index only, keeping the working tree. This is the default action. ${more('gentle')}`,
      '+',
      'With `-N`, removed paths are marked as intent-to-frob.',
      '--',
      '',
      '--quiet::',
      `\tSays nothing. ${more('quiet')}`,
      '',
      'EXAMPLES',
      '--------',
      'Frob a branch head gently, then look at the result of the frobbing.',
    ].join('\n');
    const passages = plain(page, 'git-frob.txt');
    const gentle = holding(passages, 'Frobs the index only');
    assert.deepEqual(gentle.headings.slice(1), ['DESCRIPTION', "'git frob' [<mode>] [<commit>]", '--gentle']);
    assert.ok(gentle.text.includes('intent-to-frob'), 'a "+" paragraph stays with the nested entry');
    assert.deepEqual(holding(passages, 'Says nothing').headings.slice(1), ['DESCRIPTION', '--quiet']);
    assert.ok(!passages.some((p) => p.text.trim() === '--'), 'a delimiter alone makes no passage');
    assert.ok(
      !passages.some((p) => p.headings.includes('--')),
      JSON.stringify(passages.map((p) => p.headings))
    );
  });

  test('a connective between two indented lines ("and") names no entry', () => {
    const passages = plain(
      [
        'PROBLEMS',
        '--------',
        '',
        '  * It has edge cases. Should the arguments be rewritten into',
        '       current/subdirectory/toplevel-dir/*.c',
        '    and',
        '       current/subdirectory/relative-dir',
        '    before they are used? Nobody knows which one the user meant.',
      ].join('\n')
    );
    assert.ok(
      !passages.some((p) => p.headings.includes('and')),
      JSON.stringify(passages.map((p) => p.headings))
    );
  });

  test('reStructuredText and manual pages: a term with its description indented under it is one entry', () => {
    const rst = plain(
      [
        '``ui``',
        '------',
        '',
        'User interface controls.',
        '',
        '``timeout``',
        '    The timeout used when a lock is held (in seconds), a negative value',
        '    means no timeout. Scripts that must never fail on a busy repository',
        '    set it to a negative value and wait for the lock. (default: 600)',
        '',
        '``timeout.warn``',
        '    Time (in seconds) before a warning is printed about a held lock. A',
        '    negative value means no warning, which keeps the output of long',
        '    running jobs quiet. (default: 0)',
        '',
        'To turn off all attempts to use a pager, set::',
        '',
        '  [ui]',
        '  paginate = never',
      ].join('\n'),
      'config.txt'
    );
    const timeout = holding(rst, 'The timeout used when a lock is held');
    assert.deepEqual(timeout.headings, ['ui', 'timeout']);
    assert.deepEqual(holding(rst, 'before a warning is printed').headings, ['ui', 'timeout.warn']);
    const pager = holding(rst, 'paginate = never');
    assert.ok(
      !pager.headings.some((h) => /pager/.test(h)),
      'a sentence that ends with "::" introduces a literal block; it is no term'
    );

    const man = plain(
      [
        'NAME',
        '       frob - frob the widgets of a machine',
        '',
        'OPTIONS',
        '       -v, --verbose',
        '              Print each widget as it is frobbed, with the time it took and',
        '              the number of retries, so that a slow widget can be found in',
        '              the log of a long run.',
        '',
        '       -n, --dry-run',
        '              Show what would be frobbed without frobbing anything.',
      ].join('\n'),
      'frob.1.txt'
    );
    const verbose = holding(man, 'Print each widget as it is frobbed');
    assert.deepEqual(
      verbose.headings.slice(-2),
      ['OPTIONS', '-v, --verbose'],
      'a section name in capitals, then the term'
    );
  });

  test("an entry's literal block of several lines is one block of code, kept whole in one passage", () => {
    const blocks = textBlocks([
      '``pager``',
      '    Define the external tool used as pager. If no pager is set, the',
      '    environment variable $PAGER is used. Example::',
      '',
      '      [pager]',
      '      pager = less -FRX',
      '',
      '``ignore``',
      '    List of commands to disable the pager for.',
    ]);
    const code = blocks.filter((b) => b.kind === 'code');
    assert.equal(code.length, 1, JSON.stringify(code));
    assert.deepEqual(
      code[0]!.lines.map((l) => l.trim()),
      ['[pager]', 'pager = less -FRX']
    );
    assert.equal(
      code[0]!.group,
      blocks.find((b) => b.term === 'pager')?.group,
      'the example belongs to its entry'
    );
  });

  test('an option table: each option with its description beside it, continued at that column, is one entry', () => {
    const blocks = textBlocks([
      'PACKER DETAILS',
      '',
      'packer also accepts these switches, which decide what happens to the',
      'notes attached to an archive:',
      '        -notes none     Drop every note from the archive.  This setting',
      '                        removes all comments and other metadata.',
      '        -notes signed   Keep only the notes that carry a signature.',
      '        -notes all      Keep every note.  This setting preserves',
      '                        thumbnails, author fields and editor settings.',
      'The default behavior is -notes signed.',
      '',
      'Switches for experts:',
      '',
      '        -level N        Compress at level N (default 6).',
      '',
      '        -window bits    Use a window of 2^bits bytes; larger windows find',
      '                        more matches but take more memory.',
      '',
      'To build it, run:',
      '',
      '        make install    # as root',
      '        make check',
    ]);
    const entries = blocks.filter((b) => b.term !== undefined);
    assert.deepEqual(
      entries.map((b) => b.term),
      ['-notes none', '-notes signed', '-notes all', '-level N', '-window bits'],
      JSON.stringify(blocks)
    );
    const all = entries.find((b) => b.term === '-notes all')!;
    assert.equal(all.lines.length, 2, 'the description goes on under its first word');
    assert.equal(blocks.find((b) => b.lines[0]!.startsWith('packer also'))?.kind, 'paragraph');
    assert.equal(blocks.find((b) => b.lines[0]!.startsWith('The default'))?.kind, 'paragraph');
    const build = blocks.find((b) => b.lines.some((l) => l.includes('make install')))!;
    assert.equal(build.kind, 'code', 'a command with a comment beside it is code');

    // A column of values repeated down the rows rates what is beside it: it names nothing.
    const status = textBlocks([
      'Top Level Elements:',
      '',
      'YES\t\t\t\thref = uri-reference',
      'NO\t\t\t\tmedia-type = string',
      'YES\t\t\t\telements = tokens',
      'YES\t\t\t\tversion = number',
    ]);
    assert.ok(
      status.every((b) => b.term === undefined),
      JSON.stringify(status)
    );
  });

  test('HTML: a definition list reads as terms with their definitions; several terms share one', () => {
    const page = `<html><head><title>Core options</title></head><body>
      <h2>2.7 Core options</h2><p>These options work with every tool. They are read from the command line
        first, then from the rc files in the home and current directories, and the first setting wins. An
        option a tool does not know is an error.</p>
      <div class="variablelist"><dl>
        <dt><span class="term"><code class="option">--num-callers=&lt;number&gt; [default: 12]</code></span></dt>
        <dd><p>Specifies the maximum number of entries shown in stack traces that identify program
          locations. Errors are commoned up using only the top four function locations, so this does not
          affect the total number of errors reported.</p><p>The maximum value for this is 500.</p></dd>
        <dt><span class="term"><code>-q</code><br/></span><span class="term"><code>--quiet</code></span></dt>
        <dd><p>Run silently, and only print error messages. Useful when running regression tests or when
          some other automated test machinery reads the output and only wants to see what went wrong.</p></dd>
      </dl></div>
      <p>Options given on the command line override those of the rc files.</p>
      <div class="toc"><dl><dt><a href="a.html">2.8 Support for threads</a></dt><dt><a href="b.html">2.9 Limitations</a></dt></dl></div>
    </body></html>`;
    const text = htmlToLines(page, 'core.html').lines.join('\n');
    assert.match(text, /^--num-callers=<number> \[default: 12\]\n: Specifies the maximum number/m);
    assert.match(text, /^-q, --quiet\n: Run silently/m, 'terms on separate lines of one <dt> are aliases');
    assert.match(text, /^- 2\.8 Support for threads$/m, 'terms without definitions stay a list');
    const passages = html(page, 'core.html');
    const callers = holding(passages, 'Specifies the maximum number of entries');
    assert.equal(callers.title, '2.7 Core options › --num-callers=<number> [default: 12]');
    assert.ok(callers.text.includes('The maximum value for this is 500.'), 'the whole definition');
    const after = holding(passages, 'Options given on the command line override');
    assert.deepEqual(after.headings, ['2.7 Core options'], 'text after the list is the section’s');
  });

  test('Markdown definition lists: a term line, then ": definition"', () => {
    const passages = markdown(
      [
        '# Web settings',
        '',
        '`maxchanges`',
        ': Maximum number of changes to list on the changelog page of the web interface. Lists longer',
        '  than this are cut, and a link to the next page of changes is shown below them. (default: 10)',
        '',
        '`maxfiles`',
        ': Maximum number of files to list per changeset. (default: 10)',
      ].join('\n')
    );
    const changes = holding(passages, 'Maximum number of changes to list');
    assert.deepEqual(changes.headings, ['Web settings', 'maxchanges']);
    assert.ok(holding(passages, 'files to list per changeset').headings.includes('maxfiles'));
  });
});

describe('HTML page furniture', () => {
  test('an admonition label opens no section; a layout table reads as text; inner links read as their text', () => {
    const page = `<html><body>
      <h2>Options</h2><p>The dump options come first.</p>
      <div class="note"><h3 class="title">Note</h3><p>Parallel jobs need the directory archive format.</p></div>
      <p>Compression applies to every format but the plain one.</p>
      <table>
        <tr class="question"><td><b>4.1.</b></td><td><b>Why is my string still reachable at exit?</b></td></tr>
        <tr class="answer"><td></td><td><p>The allocator keeps a pool of memory for later strings.</p>
          <pre>export GLIBCXX_FORCE_NEW=1</pre></td></tr>
      </table>
      <p>See <a href="other.html#pools">the chapter on pools</a> and <a href="https://example.org/spec">the spec</a>.</p>
    </body></html>`;
    const text = htmlToLines(page, 'faq.html').lines.join('\n');
    assert.match(text, /^Note:$/m);
    assert.match(
      text,
      /^Why is my string still reachable at exit\?$/m,
      'a cell of a layout table is a paragraph'
    );
    assert.match(text, /^```\nexport GLIBCXX_FORCE_NEW=1\n```$/m);
    assert.doesNotMatch(text, /\|/, 'no table rows made of paragraphs');
    assert.match(text, /See the chapter on pools and \[the spec\]\(https:\/\/example\.org\/spec\)\./);
    const passages = html(page, 'faq.html');
    assert.ok(!passages.some((p) => p.headings.includes('Note')));
    assert.equal(holding(passages, 'Compression applies to every format').title, 'Options');
  });
});

describe('searching reference text', () => {
  const filler = (topic: string) =>
    Array.from({ length: 4 }, (_, i) => `Paragraph ${i} about ${topic} explains the usual setup.`).join(' ');

  test('an option is found by the words of its description, and its passage is named by it', async () => {
    const root = corpus('options', {
      'git-frob.txt': asciidocPage,
      'guide.txt': `Frobbing guide\n==============\n\n${filler('repositories')}\n\n${filler('objects and dates')}`,
    });
    const r = await searchCorpus({
      corpus: root,
      query: 'How old do loose objects have to be before frob prunes them?',
    });
    assert.match(r.results[0]?.title ?? '', /--prune=<date>$/, JSON.stringify(r.results.map((h) => h.title)));
    assert.match(r.results[0]!.excerpt, /default is 2 weeks ago/);
  });

  test('a setting is found by its whole name and by its parts', async () => {
    const root = corpus('names', {
      'git-frob.txt': asciidocPage,
      'guide.txt': `Frobbing guide\n==============\n\n${filler('expiry of caches')}\n\n${filler('pruning trees')}`,
    });
    for (const query of ['frob.pruneExpire', 'prune expire config variable']) {
      const r = await searchCorpus({ corpus: root, query });
      assert.match(r.results[0]?.excerpt ?? '', /frob\.pruneExpire/, query);
    }
  });

  test('a question about what happens when nothing is set is answered where the text says "default"', async () => {
    const root = corpus('defaults', {
      // Alike but for the default: without it, the shorter one would rank first.
      'limits.md':
        '# Body size\n\nThe server accepts a request body up to 1 MiB by default, and up to 8 MiB on ' +
        'uploads, whatever size the client announces in its headers.',
      'uploads.md':
        '# Body size\n\nThe server accepts a request body up to the size set by the route, and up to 8 MiB on uploads.',
      ...Object.fromEntries(
        ['logging', 'routes', 'hooks', 'plugins', 'testing', 'errors'].map((topic) => [
          `${topic}.md`,
          `# ${topic}\n\n${filler(topic)}`,
        ])
      ),
    });
    const question = 'How big a request body does the server accept if I do not configure anything?';
    const c = await loadCorpus(root);
    const q = weightedQuery(c.index, question);
    assert.ok(
      q.terms.some((t) => t.term === 'default'),
      'the question asks for a default without saying the word'
    );
    assert.ok(
      !weightedQuery(c.index, 'request body size').terms.some((t) => t.term === 'default'),
      'keywords as written'
    );
    for (const asked of [
      'What size applies when I give no size option?',
      'Which size is used if it is omitted?',
    ])
      assert.ok(
        weightedQuery(c.index, asked).terms.some((t) => t.term === 'default'),
        asked
      );
    const r = await searchCorpus({ corpus: root, query: question });
    assert.equal(
      path.basename(r.results[0]!.path),
      'limits.md',
      JSON.stringify(r.results.map((h) => h.path))
    );
  });
});

describe('terms', () => {
  test('a flag or a dotted name is a term whole, and its words are terms too', async () => {
    const terms = tokenize('Use --show-leak-kinds=all, or set gc.pruneExpire.').map((t) => t.term);
    for (const t of ['show-leak-kinds', 'show', 'leak', 'gc.pruneexpire', 'prun', 'expir'])
      assert.ok(terms.includes(t), `${t} in ${terms.join(' ')}`);
    const root = corpus('flags', {
      'leaks.md':
        '# Leaks\n\nThe kinds of leak to show in the summary: definite and possible, unless asked otherwise.',
      'options.md': '# Options\n\nWith --show-leak-kinds=all the report lists reachable blocks as well.',
    });
    const r = await searchCorpus({ corpus: root, query: '--show-leak-kinds' });
    assert.equal(
      path.basename(r.results[0]!.path),
      'options.md',
      JSON.stringify(r.results.map((h) => h.path))
    );
  });

  test('an irregular form meets its base: "shown" is "show", "overridden" is "override"; "left" stays', () => {
    const term = (w: string) => tokenize(w).map((t) => t.term);
    for (const [form, base] of [
      ['shown', 'show'],
      ['overridden', 'overrides'],
      ['kept', 'keeping'],
      ['written', 'writes'],
    ])
      assert.deepEqual(term(form!), term(base!), `${form} / ${base}`);
    assert.notDeepEqual(term('left'), term('leave'), '"left" is also a direction');
  });

  test('a plural abbreviation is one word; a name numbered at its end is also found by its name', () => {
    assert.deepEqual(
      tokenize('IDs').map((t) => t.term),
      tokenize('ID').map((t) => t.term)
    );
    const resolve4 = tokenize('resolve4').map((t) => t.term);
    assert.ok(resolve4.includes('resolve4') && resolve4.includes('resolv'), resolve4.join(' '));
  });

  test("a library's package name (liblzo2, libgcrypt20) is also found by the library's own name", async () => {
    for (const [pkg, name] of [
      ['liblzo2', 'lzo'],
      ['libgcrypt20', 'gcrypt'],
      ['libidn2', 'idn'],
    ] as const) {
      const terms = tokenize(pkg).map((t) => t.term);
      assert.ok(
        terms.includes(name) && terms.includes(pkg.replace(/\d+$/, '')),
        `${pkg}: ${terms.join(' ')}`
      );
    }
    assert.ok(!tokenize('libc6').some((t) => t.term === 'c'), 'too short a name to stand alone');
    const root = corpus('library-names', {
      'changelog.Debian': [
        'lamp (2.1-1) unstable; urgency=medium',
        '',
        '  * Do not link with liblzo2: its licence does not allow shipping the lamp binaries linked',
        '    with it.',
        '',
        ' -- Keeper <keeper@example.org>  Mon, 01 Jan 2024 10:00:00 +0000',
      ].join('\n'),
      'guide.md': '# Start-up\n\nThe lamp library is loaded at start-up, before the wick is lit.',
    });
    const r = await searchCorpus({
      corpus: root,
      query: 'LZO compression library',
      question: "Why isn't it built against the LZO compression library?",
    });
    assert.ok(
      r.results.some((h) => path.basename(h.path) === 'changelog.Debian'),
      JSON.stringify(r.results.map((h) => [h.path, h.score]))
    );
  });

  test('a path is a term whole: "/etc/hosts" finds the passage that names it', async () => {
    const terms = tokenize('They do not read /etc/hosts or build/config.json.').map((t) => t.term);
    for (const t of ['etc/hosts', 'host', 'build/config.json', 'config', 'json'])
      assert.ok(terms.includes(t), `${t} in ${terms.join(' ')}`);
    const root = corpus('paths', {
      'query.md': '# Queries\n\nThese functions always query the network, never the file `/etc/hosts`.',
      'lookup.md': '# Lookup\n\nThe lookup reads the hosts file: local hosts come first, then other hosts.',
    });
    const r = await searchCorpus({ corpus: root, query: '/etc/hosts' });
    assert.equal(path.basename(r.results[0]!.path), 'query.md', JSON.stringify(r.results.map((h) => h.path)));
  });

  test('a placeholder "<word>" and a header "<errno.h>" are words; an HTML tag is not', () => {
    const placeholder = tokenize(indexableText('git reset <commit> with --timeout <seconds>')).map(
      (t) => t.term
    );
    for (const t of ['commit', 'second']) assert.ok(placeholder.includes(t), placeholder.join(' '));
    const markup = tokenize(indexableText('<span class="x">one</span> <b>two</b> line<br> <div>three</div>'));
    assert.deepEqual(
      markup.map((t) => t.term),
      ['one', 'two', 'lin', 'thre'],
      'tags with attributes, closed tags and void elements carry no words'
    );
    const headers = tokenize(indexableText('instead of including <errno.h> or <sys/types.h>')).map(
      (t) => t.term
    );
    for (const t of ['errno', 'errno.h', 'sys'])
      assert.ok(headers.includes(t), `a header's name is words: ${headers.join(' ')}`);
  });
});
