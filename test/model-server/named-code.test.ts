// A question that names code ("zlib.deflate()") is answered by text about that code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeSummary } from '../../src/model-server/compose.js';
import { namedTerms } from '../../src/model-server/question-terms.js';
import { termsOf } from '../../src/model-server/terms.js';
import { briefEvidence, type BriefHit } from './writer-brief.js';

/** A text's terms as the writer reads them. */
const terms = (text: string) => termsOf(text).map((t) => t.term);
const evidenceOf = (question: string, hits: BriefHit[]) =>
  briefEvidence(question, hits, 'many calls at once');

test('the code a question names: dotted, called, camelCase, snake_case or quoted, with its parts', () => {
  assert.deepEqual([...namedTerms('Is it a problem to start thousands of zlib.deflate() calls?')].sort(), [
    'deflat',
    'zlib',
    'zlib.deflate',
  ]);
  assert.ok(namedTerms('How do I set maxOldGenerationSizeMb?').has('maxoldgenerationsizemb'));
  assert.ok(namedTerms('What does `git bisect run` return?').has('bisect'));
  assert.equal(namedTerms('How long does the cache remember my password?').size, 0);
  // An identifier numbered under a prefix names one thing, as code does.
  assert.ok(namedTerms('Is the build fixed for CVE-2024-38428?').has('cve-2024-38428'));
  assert.ok(namedTerms('What did bpo-45668 change?').has('bpo-45668'));
  assert.equal(namedTerms('Does it work on x86-64 with 4096-byte pages?').has('x86-64'), false);
});

test('the entry that names the identifier a question asks about leads, not its neighbours', () => {
  const question = 'Is the frob shipped in Debian 12 fixed for CVE-2024-38428, and what kind of bug was it?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'frob/changelog.Debian.gz#L1-L47',
      title: 'changelog.Debian',
      excerpt:
        'frob (1.21.3-1+deb12u1) bookworm; urgency=medium * d/control: replace obsolete B-D pkg-config with pkgconf. * Backport patch to fix mishandling of semicolons in userinfo (closes: CVE-2024-38428). frob (1.21.2-2) unstable; urgency=medium * cherry pick to fix SSL_INIT output frob#61125 closes: Bug#996174',
    },
    {
      sourceId: 'frob/NEWS.gz#L119-L185',
      title: 'Changes in Frob 1.19.2',
      excerpt:
        'Fix CVE-2017-13089 (Stack overflow in HTTP protocol handling). A major bug that caused pages shipped compressed to never be decompressed has been fixed. The bug in Debian 12 builds was fixed too.',
    },
  ]);
  const entry = ev.scored.find((s) => s.cand.unit.plain.includes('semicolons'))!;
  assert.ok(entry.onSubject, 'the identifier keeps the entry on the subject, though it does not say "frob"');
  const { text } = writeSummary(ev, { question, maxSentences: 5 });
  assert.match(text.split(/\[\d+\]/)[0]!, /semicolons/, text);
});

test('asked which release fixed it, the summary says the release of the changelog entry it quotes', () => {
  const question = 'Which bookworm package revision of frob brought the fix for the userinfo semicolons bug?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'frob/changelog.Debian.gz#L1-L47',
      title: 'changelog.Debian',
      excerpt:
        'frob (1.21.3-1+deb12u1) bookworm; urgency=medium * d/control: replace obsolete B-D pkg-config with pkgconf. * Backport patch to fix mishandling of semicolons in userinfo (closes: CVE-2024-38428). -- Jane Packager <jane@example.org> Sun, 17 Jan 2021 20:27:00 +0000 frob (1.21.2-2) unstable; urgency=medium * cherry pick to fix SSL_INIT output frob#61125 closes: Bug#996174',
    },
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 3 });
  assert.match(
    text,
    /semicolons in userinfo \(closes: CVE-2024-38428\) \(frob 1\.21\.3-1\+deb12u1, bookworm\)\./,
    text
  );
  // Not asked for a release: the entry is quoted as it is.
  const asked = 'How was the frob userinfo semicolons bug fixed?';
  const plain = writeSummary(
    evidenceOf(
      asked,
      [ev.passages[0]!].map((p) => ({ sourceId: p.sourceId!, title: p.title, excerpt: p.text }))
    ),
    { question: asked }
  );
  assert.doesNotMatch(plain.text, /deb12u1/, plain.text);
});

test('asked which release did two things, the item of the same entry that does the second comes with the first', () => {
  const question =
    'I maintain a fork of the Debian packaging of frob. In which Debian revision did the package stop using a debian/compat file and start declaring that it can be built without root?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'frob/changelog.Debian.gz#L1-L38',
      title: 'changelog.Debian',
      excerpt:
        'frob (1.16-1) unstable; urgency=medium * New upstream version 1.16 * Migrate to dh 12 without d/compat * Do not install TODO (deleted by upstream) * d/control: Add Rules-Requires-Root: no -- Jane Packager <jane@example.org> Sun, 17 Jan 2021 20:27:00 +0000',
    },
    {
      sourceId: 'grob/changelog.Debian.gz#L54-L107',
      title: 'changelog.Debian',
      excerpt:
        'grob (2.2.0-1) unstable; urgency=medium * Add Build-Depends-Package to symbols file. * Stop including the date in the manual to enable reproducible builds. * Start the test suite with the declared file list. -- Jane Packager <jane@example.org> Sun, 10 Jan 2021 20:27:00 +0000',
    },
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 4 });
  assert.match(text, /Migrate to dh 12 without d\/compat \(frob 1\.16-1, unstable\)/, text);
  assert.match(text, /Rules-Requires-Root: no \(frob 1\.16-1, unstable\)/, text);
});

test('asked since which release, an item that ends inside its brackets is said with its release in front', () => {
  const question =
    'From which frob release on can a recursive search follow symbolic links, and what is the option called?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'frob/NEWS.gz#L1202-L1235',
      title: 'NEWS › Version 2.5',
      excerpt:
        '- New option -R or --dereference-recursive makes a recursive search follow symbolic links. (This option was also in frob 2.3, but was not announced here.) - The new option --label names standard input.',
    },
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 2 });
  assert.match(text, /Version 2\.5: New option -R or --dereference-recursive/, text);
  // Not a sentence of its own once the sentence has ended: "… here.) (Version 2.5).".
  assert.doesNotMatch(text, /\.\)\s*\(Version 2\.5\)/, text);
});

test('asked which release, an item that ends with a credit in brackets is said with its release in front', () => {
  const question = 'Which frob release added an option to use extended regular expressions?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'frob/changelog.gz#L36-L78',
      title: 'changelog',
      excerpt:
        "* TODO: Removed. 2021-01-06 Jane Hacker * Version 1.17 released. * main.c: New option '-E, --extended-regexp' to use extended regular expressions. (Suggested by Sam Smith). * io.c: Print the file name in case of error. * buffer.c: Fix a crash on a long line.",
    },
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 2 });
  assert.match(text, /version 1\.17: main\.c: New option '-E, --extended-regexp'/, text);
  // Not a sentence of its own after the credit: "(Suggested by Sam Smith) [1] (version 1.17). [1]".
  assert.doesNotMatch(text, /\)\s*(?:\[[^\]]+\]\s*)?\(version 1\.17\)/, text);
});

test('a sentence about other code ranks below one about the code the question names', () => {
  const question =
    'Is it a problem to start thousands of zlib.deflate() calls at the same time, say in a loop?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'api/worker_threads.md#L1217-L1282',
      title: 'worker.performance › utilization',
      excerpt:
        'utilization {number}: The same call as eventLoopUtilization(), except the values of the worker instance are returned in a loop.',
    },
    {
      sourceId: 'api/zlib.md#L182-L219',
      title: 'Threadpool usage and performance considerations',
      excerpt:
        'Creating and using a large number of zlib objects simultaneously can cause significant memory fragmentation.',
    },
  ]);
  const score = (text: string) => ev.scored.find((s) => s.cand.unit.plain.includes(text))!;
  const zlib = score('zlib objects simultaneously');
  const other = score('eventLoopUtilization');
  assert.ok(zlib.onSubject, 'a part of the named code keeps the sentence on the subject');
  assert.ok(
    zlib.score > other.score,
    `zlib's own sentence ${zlib.score.toFixed(3)} over another module's ${other.score.toFixed(3)}`
  );
});

test('evidence about the code a question names answers it, though the question says "it" for that code', () => {
  const question = 'I changed pg_hba.conf on a live server. Do I need a full restart for it to take effect?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'auth-pg-hba-conf.html#L116-L125',
      title: '21.1. The pg_hba.conf File',
      excerpt:
        'The pg_hba.conf file is read on start-up and when the main server process receives a SIGHUP signal. If you edit the file on an active system, you will need to signal the postmaster (using pg_ctl reload, calling the SQL function pg_reload_conf(), or using kill -HUP) to make it re-read the file.',
    },
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 5 });
  assert.doesNotMatch(text, /does not answer/, text);
  assert.match(text, /SIGHUP|pg_reload_conf/, text);
});

test('a command with its option ("cp -p") is one name, though its words are too short to count alone', () => {
  assert.ok(terms('My build copies files with cp -p.').includes('cp -p'));
  assert.ok(terms('Run tar -xzf on it.').includes('tar -xzf'));
  assert.ok(!terms('Pass the -p option.').includes('the -p'), 'a stop word is no command');
});

test('the sentence that names the command and option the question names leads', () => {
  const question =
    'My build copies files with cp -p, and the copies look out of date afterwards. Is there something I can put in the makefile to handle this?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'frob/NEWS#L1-L20',
      title: 'Changes in Frob 3.81',
      excerpt:
        'Frob now detects files whose modification times lie in the future and reports an error. Files with such impossible times come from unsynchronised clocks, and they confuse the build thoroughly.',
    },
    {
      sourceId: 'frob/README#L120-L140',
      title: 'README',
      excerpt:
        'If your build depends on tools like "cp -p" keeping times exactly, consider the .COARSE_TIME special target.',
    },
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 5 });
  assert.match(text.split(/\[\d+\]/)[0]!, /COARSE_TIME/, text);
});

test('a sentence that mentions an option is quoted with the short sentence after it that names the option', () => {
  const question =
    'frobunzip runs out of memory on my 4 megabyte board. Can it decompress with less memory, and what does that cost?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'frob/manual.html#L400-L430',
      title: 'Memory management',
      excerpt:
        'For files compressed with the default 900k block size, frobunzip will require about 3700 kbytes to decompress. To support decompression of any file on a 4 megabyte machine, frobunzip has an option to decompress using approximately half this amount of memory, about 2300 kbytes. Decompression speed is also halved, so you should use this option only where necessary. The relevant flag is -s. In general, try and use the largest block size memory constraints allow.',
    },
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 4 });
  assert.match(text, /The relevant flag is -s\./, text);
  assert.match(text, /about 2300 kbytes\..*The relevant flag is -s\./s, text);
});

test('a compound of three or more words meets its initials: "just-in-time compiler" is the JIT', () => {
  assert.ok(terms('Is the just-in-time compiler on?').includes('jit'));
  assert.ok(terms('an out-of-memory kill').includes('oom'));
  assert.ok(!terms('a well-known name').some((t) => t === 'wk'), 'two words make no acronym');
  // The hedge "just" goes from a question, not from inside a compound.
  const question =
    'We run regex-heavy services on an IBM Z (s390x) machine. Is the frob just-in-time compiler enabled in the Debian build for that architecture, and since which package version?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'libfrob/README.Debian#L1-L12',
      title: 'README.Debian',
      excerpt:
        'This is frob, the newer version of the frob regular expression library. New projects should use this library in preference to the older one.',
    },
    {
      sourceId: 'libfrob/changelog.Debian.gz#L1-L44',
      title: 'changelog.Debian',
      excerpt:
        'frob (10.39-3) unstable; urgency=medium * Enable JIT on s390x (Closes: #999836) * Re-enable JIT on MIPS (Closes: #892488) -- Ada Maintainer Wed, 17 Nov 2021 14:52:42 +0000',
    },
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 5 });
  assert.match(text, /Enable JIT on s390x/, text);
});

test('an adverb meets its adjective: "atomically" and "atomical", "typically" and "typical"', async () => {
  const { stem } = await import('../../src/model-server/terms.js');
  for (const [adverb, adjective] of [
    ['atomically', 'atomical'],
    ['typically', 'typical'],
    ['automatically', 'automatic'],
    ['manually', 'manual'],
    ['usually', 'usual'],
  ])
    assert.equal(stem(adverb!), stem(adjective!), `${adverb} / ${adjective}`);
});

test('of two near-identical sentences, the one that says all the other does and more stands for both', () => {
  const question =
    'A scanner reports CVE-2031-0167 against frob on our hosts. We keep credentials in a .netrc file and follow redirects. In what situation does that bug actually leak a password?';
  const ev = evidenceOf(question, [
    {
      sourceId: 'frob/changelog.Debian.gz#L1-L47',
      title: 'changelog.Debian',
      excerpt:
        '… frob (7.88.1-10+deb12u12) bookworm; urgency=medium * d/p/runtests.pl: Fix test failures due to port clashes -- Ada Maintainer Sun, 09 Mar 2031 10:45:45 +0000 frob (7.88.1-10+deb12u11) bookworm; urgency=medium * Team upload. * Import patch for CVE-2031-0167. - When asked to use a `.netrc` file for credentials **and** to follow HTTP redirects, frob could leak the password used for the first host to the followed-to host under certain circumstances. This flaw only manifests itself if the netrc file has a `default` entry that omits both login and password. A rare circumstance. -- Bo Maintainer Mon, 10 Feb 2031 11:45:37 +0100 frob (7.88.1-10+deb12u10) bookworm; urgency=medium * Team upload. * Import patch for CVE-2030-11053 - When asked to both use a `.netrc` file for credentials and to follow HTTP redirects, frob could leak the password used for the first host to the followed-to host under certain circumstances. * d/patches: …',
    },
  ]);
  const { text } = writeSummary(ev, { question, maxSentences: 5 });
  assert.match(text, /only manifests itself if the netrc file has a `?default`? entry/, text);
});

test('a path under "d/" in a Debian changelog is the one under "debian/": d/compat is debian/compat', () => {
  const full = terms('the debian/compat file')[0]!;
  assert.equal(full, 'debian/compat');
  assert.ok(terms('Migrate to dh 12 without d/compat').includes(full));
  assert.ok(terms('d/control: Add Rules-Requires-Root: no').includes('debian/control'));
  // Another one-letter folder is no short form.
  assert.ok(!terms('see x/compat').some((t) => t.startsWith('debian/')));
});

test("a library's package name meets the library's own name: liblzo2 is LZO", () => {
  assert.ok(terms('linked against liblzo2').includes('lzo'));
  assert.ok(terms('built with libgcrypt20').includes('gcrypt'));
  assert.ok(!terms('the library itself').some((t) => t === 'rary'), 'only a name numbered as a package is');
});
