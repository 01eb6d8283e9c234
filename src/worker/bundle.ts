import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OpenAIAgentsPlugin } from '@temporalio/openai-agents';
import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';
import { noModels } from '../common/no-models.js';
import { dataDir, packageRoot } from '../common/paths.js';

export const workflowsPath = path.join(packageRoot, 'src', 'workflows', 'index.ts');

/**
 * Resolve agents-core (and friends) to one CommonJS copy inside the bundle: with the default
 * condition names webpack would bundle both the ESM and CJS builds, `instanceof` checks between
 * agents would fail (handoffs break) and an async chunk would need a publicPath.
 */
export const webpackConfigHook: NonNullable<BundleOptions['webpackConfigHook']> = (config) => ({
  ...config,
  resolve: { ...config.resolve, conditionNames: ['require', 'browser', 'default'] },
});

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(full)));
    else if (entry.name.endsWith('.ts')) out.push(full);
  }
  return out.sort();
}

/** Hash of everything that goes into the workflow bundle: our workflow sources and the pinned versions. */
async function bundleKey(): Promise<string> {
  const hash = createHash('sha256');
  // Workflow code imports src/workflows, the pure leaves of src/common and the pure types modules
  // of activities (e.g. activities/web/types.ts with its error-type lists).
  const folders = ['workflows', 'common', 'activities'].map((f) => path.join(packageRoot, 'src', f));
  for (const file of (await Promise.all(folders.map(sourceFiles))).flat()) {
    hash.update(path.relative(packageRoot, file));
    hash.update(await readFile(file));
  }
  for (const pkg of ['@temporalio/workflow', '@temporalio/openai-agents', '@openai/agents-core']) {
    const manifest = JSON.parse(
      await readFile(path.join(packageRoot, 'node_modules', pkg, 'package.json'), 'utf8')
    );
    hash.update(`${pkg}@${manifest.version}`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Where bundles are cached: `node_modules/.cache/steadfast` of the package (shared by every data
 * dir and working directory), or `<dataDir>/cache` when that is not writable.
 */
export function bundleCacheDir(): string {
  const shared = path.join(packageRoot, 'node_modules', '.cache', 'steadfast');
  try {
    mkdirSync(shared, { recursive: true });
    accessSync(shared, constants.W_OK);
    return shared;
  } catch {
    return path.join(dataDir(), 'cache');
  }
}

/**
 * Builds the workflow bundle once and caches it by content under <cacheDir>; later worker
 * starts reuse it (the bundle is ~8 MB and takes seconds to build).
 */
export async function workflowBundle(
  cacheDir: string = bundleCacheDir(),
  log: (line: string) => void = () => {}
): Promise<{ codePath: string; built: boolean }> {
  const codePath = path.join(cacheDir, `workflow-bundle-${await bundleKey()}.js`);
  if (existsSync(codePath)) return { codePath, built: false };
  const started = Date.now();
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    webpackConfigHook,
    plugins: [new OpenAIAgentsPlugin({ modelProvider: noModels })],
    logger: quietLogger,
  });
  await mkdir(cacheDir, { recursive: true });
  const tmp = `${codePath}.${process.pid}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, codePath);
  log(`built the workflow bundle in ${Date.now() - started} ms (${(code.length / 1e6).toFixed(1)} MB)`);
  return { codePath, built: true };
}

const noop = () => {};
const quietLogger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: (m: string) => console.error(m),
  log: noop,
};
