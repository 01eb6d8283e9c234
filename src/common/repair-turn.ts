/**
 * The repair turn of a model call (src/worker/models/repair.ts): when a reply cannot be the agent's
 * output, the worker sends it back with a user message that opens with this and says what was
 * wrong. Shared with the offline model, which answers such a turn by answering the request again.
 */
export const REPAIR_OPENING = 'Your previous reply cannot be used:';
