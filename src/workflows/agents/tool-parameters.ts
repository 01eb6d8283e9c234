/**
 * A tool's parameters as a strict JSON schema: every one a string, described for the model, and
 * required (strict mode wants them all listed), in the order given.
 */
export function stringParameters<K extends string>(params: Record<K, string>) {
  return {
    type: 'object' as const,
    properties: Object.fromEntries(
      Object.entries<string>(params).map(([key, about]) => [key, { type: 'string', description: about }])
    ) as Record<K, { type: 'string'; description: string }>,
    required: Object.keys(params) as K[],
    additionalProperties: false as const,
  };
}
