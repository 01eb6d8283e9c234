import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { packageRoot } from '../../../src/common/paths.js';
import { APPROVALS_MD, fx, QUESTION, type Case, type Ctx } from '../matrix.js';
import { binaryBytes, bombPdf, mkfifo } from '../hostile-files.js';
import type { LiveStatus } from '../../../src/common/research-types.js';

/** Words of the research question beside a secret: a symlink that were followed would be cited. */
const SECRET = 'Human approval in a durable agent: the vault passphrase is quokka-7781-saffron';

interface HostileFile {
  name: string;
  /** Puts the file(s) in the corpus folder `dir`; `outside` is a folder beside the corpus root. */
  make(dir: string, outside: string): void;
  /** The skip warning the run must show for it, or 'read' when it must be read as a document. */
  expect: RegExp | 'read';
}

/** One corpus folder holds them all, beside a good document; one run reads it. */
const FILES: HostileFile[] = [
  {
    name: 'binary bytes named .md',
    make: (dir) => writeFileSync(path.join(dir, 'program.md'), binaryBytes()),
    expect: /program\.md: binary content/,
  },
  {
    name: 'a 200 MB file (sparse)',
    make: (dir) => {
      writeFileSync(path.join(dir, 'huge.txt'), '');
      truncateSync(path.join(dir, 'huge.txt'), 200 * 1024 * 1024);
    },
    expect: /huge\.txt: file is 200\.0 MB, larger than the 5 MB limit/,
  },
  {
    name: 'a PDF whose stream inflates to 256 MB (decompression bomb)',
    make: (dir) => writeFileSync(path.join(dir, 'bomb.pdf'), bombPdf(256 * 1024 * 1024)),
    expect: /bomb\.pdf: compressed streams inflate to more than 128 MB \(a decompression bomb\?\)/,
  },
  {
    name: 'a gzipped text that inflates to 64 MB (decompression bomb)',
    make: (dir) =>
      writeFileSync(path.join(dir, 'bomb.txt.gz'), gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x61))),
    expect: /bomb\.txt\.gz: uncompressed, the file is larger than the 5 MB limit/,
  },
  {
    name: 'malformed HTML (unclosed tags, stray brackets, a script)',
    make: (dir) =>
      writeFileSync(
        path.join(dir, 'broken.html'),
        '<html><head><title>Broken<body><div><p>Approvals wait for a reviewer <b>signal<table><tr><td>cell' +
          '<script>document.write("<p>")</scr' +
          '<<<>>> <p class="x>Durable timers bound the wait for approval.</div></div></div>'
      ),
    expect: 'read',
  },
  {
    name: 'a symlink loop',
    make: (dir) => {
      symlinkSync('loop-b.md', path.join(dir, 'loop-a.md'));
      symlinkSync('loop-a.md', path.join(dir, 'loop-b.md'));
    },
    expect: /loop-a\.md: symlink loop/,
  },
  {
    name: 'a symlink to a file outside the corpus',
    make: (dir, outside) => {
      writeFileSync(path.join(outside, 'vault.md'), `# Vault\n\n${SECRET}.\n`);
      symlinkSync(path.join(outside, 'vault.md'), path.join(dir, 'vault.md'));
    },
    expect: /vault\.md: symlink points outside the corpus folder/,
  },
  {
    name: 'a symlink to a folder outside the corpus',
    make: (dir, outside) => symlinkSync(outside, path.join(dir, 'elsewhere')),
    expect: /elsewhere: symlink points outside the corpus folder/,
  },
  {
    name: 'a symlink to nowhere',
    make: (dir) => symlinkSync(path.join(dir, 'gone.md'), path.join(dir, 'dangling.md')),
    expect: /dangling\.md: could not read: ENOENT \(broken symlink\?\)/,
  },
  {
    name: 'a file name that is not UTF-8',
    make: (dir) =>
      writeFileSync(Buffer.from(`${dir}/caf\xe9-latin1.md`, 'latin1'), '# Latin-1 name\n\nText.\n'),
    expect: /latin1\.md: file name is not valid UTF-8/,
  },
  {
    name: 'a FIFO named .md (reading it would block)',
    make: (dir) => mkfifo(path.join(dir, 'pipe.md')),
    expect: /pipe\.md: not a regular file/,
  },
  {
    name: 'an empty document',
    make: (dir) => writeFileSync(path.join(dir, 'empty.md'), ''),
    expect: /empty\.md: no readable text/,
  },
];

interface HostileRun {
  status: LiveStatus;
  dir: string;
}

/** The run over the hostile folder, started through the API once for every case of this group. */
function hostileRun(ctx: Ctx): Promise<HostileRun> {
  return ctx.once('hostile-run', async () => {
    const dir = path.join(ctx.roots, 'hostile');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'approvals.md'), APPROVALS_MD);
    for (const f of FILES) f.make(dir, ctx.outside);
    const started = await ctx.api('/api/research', {
      method: 'POST',
      json: { question: QUESTION, corpus: 'hostile', clarify: false, requestId: fx.requestId('hostile') },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    return { status: await ctx.ended(started.body.workflowId), dir };
  });
}

const fileCases: Case[] = FILES.map((file) => ({
  group: 'corpus',
  name: file.name,
  run: async (ctx) => {
    const { status } = await hostileRun(ctx);
    assert.equal(status.execution, 'COMPLETED', status.failure);
    if (file.expect === 'read') {
      assert.equal(status.corpus?.documents, 2, 'the good document and this one are read');
      assert.ok(!status.warnings.some((w) => w.includes('broken.html')), status.warnings.join('\n'));
    } else {
      assert.ok(
        status.warnings.some((w) => (file.expect as RegExp).test(w)),
        `expected a warning ${file.expect}, got:\n${status.warnings.join('\n')}`
      );
    }
    assert.doesNotMatch(JSON.stringify(status), /quokka/, 'nothing from outside the corpus');
  },
}));

export const corpusCases: Case[] = [
  ...fileCases,
  {
    group: 'corpus',
    name: 'an unreadable file (as an unprivileged user)',
    run: async () => {
      // Root reads any file, so the reader runs as `nobody` here, on the same code.
      const dir = mkdtempSync(path.join(os.tmpdir(), 'steadfast-unreadable-'));
      const data = mkdtempSync(path.join(os.tmpdir(), 'steadfast-unreadable-data-'));
      fx.defer(() => spawnSync('rm', ['-rf', dir, data]));
      writeFileSync(path.join(dir, 'approvals.md'), APPROVALS_MD);
      writeFileSync(path.join(dir, 'locked.md'), '# Locked\n');
      chmodSync(path.join(dir, 'locked.md'), 0o000);
      chmodSync(dir, 0o755);
      chmodSync(data, 0o777);
      const store = path.join(packageRoot, 'src', 'activities', 'corpus', 'store.ts');
      const script = `const { loadCorpus } = await import(${JSON.stringify(store)});
        const c = await loadCorpus(${JSON.stringify(dir)});
        console.log(JSON.stringify({ documents: c.documents.length, skipped: c.skipped }));`;
      const root = process.getuid?.() === 0;
      const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: packageRoot,
        encoding: 'utf8',
        env: { ...process.env, STEADFAST_DATA_DIR: data, HOME: data },
        ...(root ? { uid: 65534, gid: 65534 } : {}),
      });
      assert.equal(out.status, 0, out.stderr);
      const result = JSON.parse(out.stdout.trim().split('\n').at(-1)!);
      assert.equal(result.documents, 1);
      assert.equal(result.skipped.length, 1, out.stdout);
      assert.equal(result.skipped[0].rel, 'locked.md');
      assert.match(result.skipped[0].reason, /could not read: EACCES: permission denied/);
    },
  },
  {
    group: 'corpus',
    name: 'CLI: a corpus whose symlink leads outside is read without it',
    run: async (ctx) => {
      const { dir } = await hostileRun(ctx);
      const out = await ctx.cli(['research', QUESTION, '--corpus', dir, '--no-clarify', '--json']);
      assert.equal(out.code, 0, out.stderr);
      const json = JSON.parse(out.stdout.trim());
      assert.equal(json.status, 'COMPLETED');
      assert.ok(
        json.citations.every((c: { path: string }) => !c.path.includes('vault')),
        JSON.stringify(json.citations)
      );
      assert.doesNotMatch(out.stdout + out.stderr, /quokka/);
    },
  },
];
