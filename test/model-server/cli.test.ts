import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { Command } from 'commander';
import { registerModelServerCommand } from '../../src/cli/commands/model-server.js';

test('model-server command: options and help', () => {
  const program = new Command('steadfast');
  registerModelServerCommand(program);
  const cmd = program.commands.find((c) => c.name() === 'model-server');
  assert.ok(cmd);
  const help = cmd.helpInformation();
  for (const flag of [
    '--host',
    '--port',
    '--latency-ms',
    '--fault-rate-429',
    '--fault-rate-500',
    '--fault-rate-reset',
    '--fault-rate-malformed',
    '--seed',
    '--log',
  ]) {
    assert.ok(help.includes(flag), flag);
  }
  assert.match(help, /not a real LLM/);
});

test('model-server command: prints its URL, serves, and stops cleanly on SIGTERM', async () => {
  const script = `
    import { Command } from 'commander';
    import { registerModelServerCommand } from './src/cli/commands/model-server.ts';
    const p = new Command('steadfast');
    registerModelServerCommand(p);
    await p.parseAsync(['node', 'steadfast', 'model-server', '--port', '0', '--fault-rate-500', '1', '--seed', '3']);
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.on('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
  });
  const m =
    /^steadfast model-server: offline stand-in model listening on (http:\/\/127\.0\.0\.1:\d+\/v1) \(deterministic, extractive; not a real LLM\)$/.exec(
      line
    );
  assert.ok(m, line);
  const res = await fetch(`${m[1]}/responses`, {
    method: 'POST',
    body: JSON.stringify({ model: 'm', input: 'hi there friend' }),
  });
  assert.equal(res.status, 500, 'the fault rate flag is applied');
  const cfg = await (await fetch(m[1]!.replace(/\/v1$/, '/_steadfast/config'))).json();
  assert.equal(cfg.faults.rate500, 1);
  assert.equal(cfg.seed, 3);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0);
});
