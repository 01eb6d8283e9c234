/** Reading helpers shared by the wire adapters: content parts, roles, tools, tool choice. */
import { DEFAULT_MODEL } from '../identity.js';
import type { ToolChoice, ToolSpec } from '../material.js';

/** The text of a message content: a string, an array of parts, or a single part. */
export function partsText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => {
        if (typeof p === 'string') return p;
        if (p && typeof p === 'object') {
          const o = p as Record<string, unknown>;
          if (typeof o.text === 'string') return o.text;
          if (typeof o.refusal === 'string') return o.refusal;
        }
        return '';
      })
      .filter(Boolean)
      .join('\n');
  }
  if (content && typeof content === 'object' && typeof (content as { text?: unknown }).text === 'string') {
    return (content as { text: string }).text;
  }
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

export function asRole(role: unknown): 'user' | 'assistant' | 'system' | 'developer' {
  return role === 'assistant' || role === 'system' || role === 'developer' ? role : 'user';
}

export function modelOf(body: any): string {
  return typeof body?.model === 'string' ? body.model : DEFAULT_MODEL;
}

export function toolChoiceOf(raw: unknown): ToolChoice {
  if (raw === 'none' || raw === 'required' || raw === 'auto') return raw;
  if (raw && typeof raw === 'object') {
    const o = raw as Record<string, any>;
    const name =
      typeof o.name === 'string'
        ? o.name
        : typeof o.function?.name === 'string'
          ? o.function.name
          : undefined;
    if (name) return { name };
  }
  return 'auto';
}

/** The JSON schema of a `json_schema` format object, if it has one. */
export function schemaOf(format: any): Record<string, unknown> | undefined {
  if (format && typeof format === 'object' && format.schema && typeof format.schema === 'object')
    return format.schema;
  return undefined;
}

/**
 * The function tools offered, from the tool list and where each wire keeps a tool's definition
 * (the tool itself on Responses, its `function` member on Chat Completions).
 */
export function functionTools(tools: unknown, definition: (tool: any) => any): ToolSpec[] {
  const specs: ToolSpec[] = [];
  for (const t of Array.isArray(tools) ? tools : []) {
    const f = definition(t);
    if (t?.type === 'function' && typeof f?.name === 'string') {
      specs.push({
        name: f.name,
        description: String(f.description ?? ''),
        parameters: f.parameters ?? { type: 'object', properties: {} },
      });
    }
  }
  return specs;
}
