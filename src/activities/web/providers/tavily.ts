import { field, hitsOf, type SearchProvider } from './provider.js';

/** Tavily: `POST …/search` with a JSON body and the key as a bearer token. */
export const tavily: SearchProvider = {
  name: 'tavily',
  label: 'Tavily',
  request(config, query, limit) {
    return {
      url: new URL(config.endpoint),
      method: 'POST',
      headers: {
        accept: 'application/json',
        'content-type': 'application/json',
        authorization: `Bearer ${config.key ?? ''}`,
      },
      body: JSON.stringify({ query, max_results: Math.min(20, limit), search_depth: 'basic' }),
    };
  },
  parse(json) {
    return hitsOf(field(json, 'results'), 'results', 'content');
  },
  hint(status) {
    return status === 401 || status === 403
      ? 'Tavily rejected the key: check TAVILY_API_KEY and the plan'
      : 'check the query and STEADFAST_TAVILY_URL';
  },
};
