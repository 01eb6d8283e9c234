import { UserError } from '../errors.js';
import { encryptionConfigured } from './keys.js';

/** Where `steadfast serve` offers the codec endpoints by default. */
export const DEFAULT_CODEC_ENDPOINT = 'http://127.0.0.1:7780/codec';
const VAR = 'STEADFAST_UI_CODEC_ENDPOINT';

/**
 * The codec endpoint the embedded dev server's Web UI is given (`--ui-codec-endpoint`), so that it
 * shows encrypted payloads decoded: STEADFAST_UI_CODEC_ENDPOINT (`off` for none), else `serve`'s
 * default address when encryption is configured, else none (the UI would report a codec server it
 * cannot reach on every page).
 */
export function uiCodecEndpoint(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = env[VAR]?.trim();
  if (given === 'off') return undefined;
  if (given) {
    let url: URL | undefined;
    try {
      url = new URL(given);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash)
      throw new UserError(
        `${VAR}=${JSON.stringify(given.slice(0, 200))} is not an http(s) URL`,
        `set it to the codec endpoint of \`steadfast serve\`, e.g. ${DEFAULT_CODEC_ENDPOINT}, or to off`
      );
    return given.replace(/\/+$/, '');
  }
  return encryptionConfigured(env) ? DEFAULT_CODEC_ENDPOINT : undefined;
}
