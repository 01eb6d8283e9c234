import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restAsMarkdown } from '../../../src/activities/corpus/rest-markup.js';
import { excerpt } from '../../../src/activities/corpus/excerpt.js';

// Shaped like Sphinx documentation (pip's user guide, Mercurial's help topics), written for this test.
const GUIDE = [
  '.. _user-installs:',
  '',
  'User Installs',
  '=============',
  '',
  'With Python 2.6 came the `"user scheme" for installation',
  '<https://docs.example.org/install.html#the-user-scheme>`_, which means an alternative',
  'location. It is turned on by the :ref:`--user',
  '<install_--user>` option to ``pip install``; see :pep:`370` and `PEP 503`_.',
  '',
  'Moreover, the location can be moved with the ``PYTHONUSERBASE`` environment variable',
  '(:envvar:`PYTHONUSERBASE`, :func:`~site.getuserbase`), do the following:',
  '',
  '.. tab:: Unix/macOS',
  '',
  '   .. code-block:: shell',
  '',
  '      export PYTHONUSERBASE=/myappenv',
  '      python -m pip install --user SomePackage',
  '',
  '``pip install --user`` follows two rules:',
  '',
  '#. Installed packages that *conflict* are ignored.',
  '#. pip will not perform a ``--user`` install in a virtualenv.',
  '',
  '.. note::',
  '',
  '   The user site is not on the path in a virtualenv.',
  '',
  '.. versionadded:: 20.3',
  '',
  '.. toctree::',
  '   :maxdepth: 2',
  '',
  '   topics/caching',
  '',
  'Overview',
  '********',
  '',
  'The log looks like this::',
  '',
  '    Collecting SomePackage',
  '    Installing collected packages: SomePackage',
  '',
  'Done.',
].join('\n');

test('reStructuredText reads as Markdown: titles, roles, references, literals, directives, literal blocks', () => {
  const md = restAsMarkdown(GUIDE);
  assert.match(md, /^## User Installs$/m);
  assert.match(md, /^## Overview$/m);
  assert.doesNotMatch(md, /^[=*]{3,}$/m, 'no underline is left');
  assert.doesNotMatch(
    md,
    /_user-installs|toctree|maxdepth|topics\/caching|\.\. /,
    'targets, layout directives and their bodies go'
  );
  assert.match(
    md,
    /came the "user scheme" for installation, which means/,
    'a hyperlink reference is its text'
  );
  assert.match(md, /by the --user option to ``pip install``; see PEP 370 and PEP 503\./);
  assert.match(md, /\(`PYTHONUSERBASE`, `getuserbase`\)/);
  assert.match(md, /^Unix\/macOS:$/m, 'a tab is its label');
  assert.match(
    md,
    /```shell\nexport PYTHONUSERBASE=\/myappenv\npython -m pip install --user SomePackage\n```/
  );
  assert.match(md, /^- Installed packages that \*conflict\* are ignored\.$/m, '"#." is a list item');
  assert.match(md, /^ *Note:$/m);
  assert.match(md, /The user site is not on the path in a virtualenv\./);
  assert.match(md, /New in version 20\.3\./);
  assert.match(
    md,
    /The log looks like this:\n```\nCollecting SomePackage\nInstalling collected packages: SomePackage\n```\n\nDone\./
  );
});

test('an excerpt of reStructuredText shows no reST markup', () => {
  const shown = excerpt(GUIDE, [{ term: 'pythonuserbase', weight: 1 }], 2000).text;
  assert.doesNotMatch(shown, /:ref:|`_|\.\. |#\. |={3,}|\*{3,}|<install_/, shown);
  assert.match(shown, /the location can be moved with the ``PYTHONUSERBASE`` environment variable/);
});

test('MyST roles and directives read as Markdown too', () => {
  const md = restAsMarkdown(
    [
      '(requirements-file-format)=',
      '',
      '# Requirements File Format',
      '',
      'Requirements files are `utf-8` encoding by default and also support {pep}`263` style comments.',
      '',
      '```{note}',
      'Use quotes around specifiers in the shell.',
      '```',
      '',
      '```{code-block} shell',
      '$ python -m pip install "SomeProject>=1.2"',
      '```',
    ].join('\n')
  );
  assert.doesNotMatch(md, /requirements-file-format\)=|\{note\}|\{code-block\}/);
  assert.match(md, /support PEP 263 style comments/);
  assert.match(md, /^Note:\nUse quotes around specifiers in the shell\.$/m);
  assert.match(md, /```shell\n\$ python -m pip install "SomeProject>=1\.2"\n```/);
});

test('a passage cut inside a directive (its lead marked "… ") still reads its markup', () => {
  const md = restAsMarkdown(
    '… .. code-block:: shell\n\n      pip install --no-index SomePackage\n\n   .. tab:: Windows\n\n   Text.'
  );
  assert.match(md, /^…\n```shell\npip install --no-index SomePackage\n```$/m);
  assert.doesNotMatch(md, /code-block|\.\. tab/);
});

test('MyST directives nest: a tab holding a code block is its label and the fenced code', () => {
  const md = restAsMarkdown(
    [
      'It is at:',
      '',
      '````{tab} Windows',
      '```{code-block} shell',
      'py -m pip cache dir',
      '```',
      '````',
      '',
      'A {term}`pypug:wheel` is built from a {term}`pypug:source distribution (or "sdist")`; see',
      '{ref}`virtual environment <pypug:Creating and using Virtual Environments>`.',
    ].join('\n')
  );
  assert.match(md, /^Windows:\n```shell\npy -m pip cache dir\n```$/m);
  assert.doesNotMatch(md, /\{tab\}|\{code-block\}|````|pypug/);
  assert.match(md, /A wheel is built from a source distribution \(or "sdist"\); see\nvirtual environment\./);
});

test('Markdown, AsciiDoc and plain text are left as they are', () => {
  for (const text of [
    '# Title\n\nSome `code` and **bold** text.\n\n```sh\nnpm test\n```',
    "--keep::\n\tKeep (don't delete) input files.",
    'Bisect run\n~~~~~~~~~~\n\nIf you have a script, run it.',
    'Plain text with no markup at all.\nA second line.',
  ])
    assert.equal(restAsMarkdown(text).replace(/^## (.*)$/m, '$1'), text.replace(/\n~{3,}/, ''));
});
