// A sentence that introduces a short piece of code (a comment over the lines of a sample
// configuration, "use the following command:") is said with that code in the summary: without it
// the sentence names what to do but not how.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeSummary } from '../../src/model-server/compose.js';
import { segment } from '../../src/model-server/segment.js';
import { briefEvidence } from './writer-brief.js';

test('a comment in a sample configuration is said with the lines it describes', () => {
  const question =
    'I like how frobd logs, but its sample configuration seems to keep the log quiet without losing the errors. How does it do that?';
  const ev = briefEvidence(question, [
    {
      sourceId: 'frobd/example_frobd.conf#L1-L30',
      title: 'example_frobd.conf',
      excerpt:
        'Example frobd.conf By Jane Packager. Public domain. Listen on the local socket only ``` listen unix:/run/frobd.sock ``` Keep the log quiet, but without losing errors ``` set log-level warn unset log-filter DropErrors1 ``` Rotate the log weekly ``` set log-rotate 7d ```',
    },
  ]);
  const { text } = writeSummary(ev, { question });
  assert.match(
    text,
    /Keep the log quiet, but without losing errors: set log-level warn unset log-filter DropErrors1/,
    text
  );
});

test('a sentence that leads in to a command is said with the command', () => {
  const question = 'How can I publish the fingerprint of a frob host key in DNS?';
  const ev = briefEvidence(question, [
    {
      sourceId: 'frob/README.dns#L1-L20',
      title: 'README.dns',
      excerpt:
        'Frob can verify host keys against fingerprints published in DNS. To publish the fingerprint of a host key in DNS as a resource record, use the following command: ``` frob-keygen -r hostname -f keyfile ``` The record goes into the zone of the host.',
    },
  ]);
  const { text } = writeSummary(ev, { question });
  assert.match(text, /use the following command: frob-keygen -r hostname -f keyfile/, text);
});

test('only a short caption with short code after it is said with the code', () => {
  const long = Array.from({ length: 30 }, (_, i) => `set option-${i} value-${i}`).join(' ');
  const plains = (text: string) => segment(text).units.map((u) => u.plain);
  assert.deepEqual(
    plains(`Tune the cache for large hosts \`\`\` ${long} \`\`\` The cache is on by default.`),
    ['Tune the cache for large hosts', 'The cache is on by default.']
  );
  // A sentence that ends is not a caption: the code after it is not what it says.
  assert.deepEqual(plains('The cache is on by default. ``` frob cache --clear ``` It takes a second.'), [
    'The cache is on by default.',
    'It takes a second.',
  ]);
  assert.deepEqual(plains('Clear the cache ``` frob cache --clear ``` It takes a second.'), [
    'Clear the cache: frob cache --clear',
    'It takes a second.',
  ]);
});

test('a command is said without the "where …" clause that explains its placeholders, which reads on as prose', () => {
  const { units } = segment(
    'To print the record of a frob host key, use the following command: frob-keygen -r hostname -f keyfile -g where "hostname" is your fully qualified hostname and "keyfile" is the file holding the key. One record is printed per key.'
  );
  assert.deepEqual(
    units.map((u) => [u.kind, u.plain]),
    [
      [
        'prose',
        'To print the record of a frob host key, use the following command: frob-keygen -r hostname -f keyfile -g',
      ],
      [
        'prose',
        'where "hostname" is your fully qualified hostname and "keyfile" is the file holding the key.',
      ],
      ['prose', 'One record is printed per key.'],
    ]
  );
});
