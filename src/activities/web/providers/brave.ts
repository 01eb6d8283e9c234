import { field, hitsOf, type SearchProvider } from './provider.js';

/** Brave Search API: `GET …/res/v1/web/search?q=…&count=…` with the key in X-Subscription-Token. */
export const brave: SearchProvider = {
  name: 'brave',
  label: 'Brave Search',
  request(config, query, limit) {
    const url = new URL(config.endpoint);
    url.searchParams.set('q', query);
    url.searchParams.set('count', String(Math.min(20, limit)));
    return {
      url,
      method: 'GET',
      headers: { accept: 'application/json', 'x-subscription-token': config.key ?? '' },
    };
  },
  parse(json) {
    const web = field(json, 'web');
    // An answer without web results (nothing found) has no `web` section at all.
    if (web === undefined && field(json, 'type') === 'search') return [];
    return hitsOf(field(web, 'results'), 'web.results', 'description');
  },
  hint(status) {
    return status === 401 || status === 403
      ? 'Brave rejected the key: check BRAVE_API_KEY and the subscription plan'
      : 'check the query and STEADFAST_BRAVE_URL';
  },
};
