/** The Python anchor's environment: a project-local venv (.bench/venv) with temporalio's OpenAI Agents integration from PyPI. */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/common/paths.js';

export const VENV = path.join(packageRoot, '.bench', 'venv');
const venvPython = path.join(VENV, 'bin', 'python');

/** Returns the venv's python, creating the venv and installing packages when needed; undefined (with a reason) when impossible. */
export function ensurePythonVenv(log: (line: string) => void): { python?: string; reason?: string } {
  const importable = (py: string) => {
    try {
      execFileSync(py, ['-c', 'import temporalio.contrib.openai_agents, agents'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (existsSync(venvPython) && importable(venvPython)) return { python: venvPython };
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
  } catch {
    return { reason: 'python3 is not on PATH' };
  }
  try {
    log(`bench: creating ${VENV} and installing temporalio[openai-agents] from PyPI…`);
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(venvPython, ['-m', 'pip', 'install', '--quiet', 'temporalio[openai-agents]'], {
      stdio: 'inherit',
    });
  } catch (err) {
    return { reason: `could not set up the venv with pip: ${(err as Error).message.split('\n')[0]}` };
  }
  return importable(venvPython)
    ? { python: venvPython }
    : { reason: 'temporalio.contrib.openai_agents is not importable after pip install' };
}

export function pythonPackages(python: string): string {
  try {
    return execFileSync(
      python,
      [
        '-c',
        'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ["temporalio", "openai-agents"]))',
      ],
      { encoding: 'utf8' }
    ).trim();
  } catch {
    return '';
  }
}

export interface PythonSeries {
  samples: number[];
  requests: number;
}

/** How the anchor's agent calls its tools: the integration's activity_as_tool, or local activities. */
export type PythonToolKind = 'activity' | 'local';

/** Runs the anchor script; resolves with wall-time samples per latency, then per tool kind. */
export function runPythonAnchor(
  python: string,
  env: { address: string; baseURL: string; latencies: number[]; repeats: number; kinds: PythonToolKind[] }
): Promise<Record<string, Partial<Record<PythonToolKind, PythonSeries>>>> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.join(packageRoot, 'bench', 'bench', 'python_anchor.py')], {
      env: {
        ...process.env,
        TEMPORAL_ADDRESS: env.address,
        OPENAI_BASE_URL: env.baseURL,
        OPENAI_API_KEY: 'offline-no-key',
        OPENAI_AGENTS_DISABLE_TRACING: '1',
        BENCH_LATENCIES: JSON.stringify(env.latencies),
        BENCH_REPEATS: String(env.repeats),
        BENCH_TOOLS: JSON.stringify(env.kinds),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line));
      else reject(new Error(`python anchor exited ${code}: ${err.slice(-1500)}`));
    });
  });
}
