// A sentence is not quoted without the later sentence of its paragraph that takes it back ("This
// is disabled now…"): the summary would say the opposite of what the text means.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { writeSummary } from '../../src/model-server/compose.js';
import { briefEvidence } from './writer-brief.js';

const TODO = {
  sourceId: 'frob/TODO.Debian#L20-L40',
  title: 'TODO.Debian',
  excerpt:
    'Things to do for the frob packaging. o [Jane Packager] Libraries - Done: Build both the static and the shared flavours of libfrob. In particular, frob-cluster works best with the static one. This is disabled now in frob 10. o Split the documentation into its own package.',
};

test('a statement is quoted with the sentence of its paragraph that takes it back', () => {
  const question =
    'Our cluster tool links against the static flavour of libfrob that the packaging built next to the shared one. Is that static flavour still built, and if not, since when?';
  const README = {
    sourceId: 'frob/README.Debian#L1-L30',
    title: 'README.Debian',
    excerpt:
      'The shared libfrob is built with the default flags of the archive. The cluster tool of frob links against libfrob dynamically unless told otherwise. A static flavour of a library is built from the same objects as the shared one. Tools that link statically against libfrob must be rebuilt after each upload.',
  };
  const { text } = writeSummary(briefEvidence(question, [TODO, README]), { question });
  assert.match(text, /Build both the static and the shared flavours of libfrob/, text);
  assert.match(
    text,
    /shared flavours of libfrob\. \S+ In particular, frob-cluster works best with the static one\. \S+ This is disabled now in frob 10/,
    'with the sentences up to the one that takes it back, in order'
  );
});
