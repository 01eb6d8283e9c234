import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CommanderError } from 'commander';
import { buildProgram } from '../../src/cli/main.js';
import { packageRoot } from '../../src/common/paths.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

test('the CLI lists the harness commands from bench/ after its own, each with its options', async () => {
  const program = await buildProgram();
  const names = program.commands.map((c) => c.name());
  assert.deepEqual(names.slice(names.indexOf('hello') + 1), [
    'chaos',
    'bench',
    'compare',
    'eval',
    'bench-conversation',
  ]);
  const flags = (name: string) => program.commands.find((c) => c.name() === name)!.options.map((o) => o.long);
  assert.deepEqual(flags('chaos'), [
    '--runs',
    '--workers',
    '--seed',
    '--kill-every-ms',
    '--max-kills',
    '--model-fault-rate',
    '--tool-fault-rate',
    '--latency-ms',
    '--stagger-ms',
    '--restart-server',
    '--data-dir',
    '--out',
  ]);
  assert.deepEqual(flags('bench'), ['--repeats', '--research-runs', '--no-python', '--docs']);
  assert.deepEqual(flags('compare'), ['--seed', '--latency-ms', '--crash-at', '--docs']);
  assert.deepEqual(flags('eval'), ['--set', '--ci', '--concurrency', '--json']);
  assert.deepEqual(flags('bench-conversation'), [
    '--turns',
    '--kills',
    '--workers',
    '--seed',
    '--latency-ms',
    '--follow',
    '--handover-bytes',
    '--handover-events',
    '--question',
    '--data-dir',
    '--out',
  ]);
});

test('a bad harness option is a usage error that names it, before any harness starts', async () => {
  for (const [args, message] of [
    [['chaos', '--runs', '0'], '--runs must be an integer >= 1.'],
    [['chaos', '--model-fault-rate', '2'], '--model-fault-rate must be a number between 0 and 1.'],
    [['bench', '--repeats', 'x'], '--repeats must be an integer >= 1.'],
  ] as const) {
    const program = await buildProgram();
    let stderr = '';
    for (const c of [program, ...program.commands])
      c.configureOutput({ writeErr: (s) => (stderr += s), writeOut: () => {} });
    await assert.rejects(
      program.parseAsync(['node', 'steadfast', ...args]),
      (err) => err instanceof CommanderError && err.code === 'commander.invalidArgument'
    );
    assert.ok(stderr.includes(message), stderr);
  }
});

test('src/ never imports bench/ (bench may import src, not the reverse)', () => {
  const offenders = sourceFiles(path.join(packageRoot, 'src')).filter((file) =>
    /(from\s+|import\s*\(\s*)['"](\.\.\/)+bench\//.test(readFileSync(file, 'utf8'))
  );
  assert.deepEqual(offenders, []);
});
