/** How the offline model presents itself on every wire API. */

export const DEFAULT_MODEL = 'steadfast-offline';
/** Fixed creation time: responses carry no wall-clock data, so they stay reproducible. */
export const CREATED_AT = 1735689600;
