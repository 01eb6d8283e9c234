import { field, hitsOf, type SearchProvider } from './provider.js';

/** SearXNG's JSON API: `GET {url}/search?q=…&format=json` (the instance must enable the json format). */
export const searxng: SearchProvider = {
  name: 'searxng',
  label: 'SearXNG',
  request(config, query) {
    const url = new URL(config.endpoint);
    url.searchParams.set('q', query);
    url.searchParams.set('format', 'json');
    return { url, method: 'GET', headers: { accept: 'application/json' } };
  },
  parse(json) {
    return hitsOf(field(json, 'results'), 'results', 'content');
  },
  hint(status) {
    return status === 403
      ? 'SearXNG answers 403 when the json format is off: add "json" to search.formats in its settings.yml, or check STEADFAST_SEARXNG_URL'
      : 'check STEADFAST_SEARXNG_URL (the instance root, e.g. http://127.0.0.1:8888)';
  },
};
