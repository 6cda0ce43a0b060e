import { EVENT_SCHEMAS, EventType, PERSONAL_DATA_FIELDS, isEventType } from '@platform/contracts';

export const MASK = '***';

interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
}

/**
 * Event data with personal data masked: the fields the contracts declare personal, and every
 * field the schema does not describe (extra properties are allowed on the wire, and nobody has
 * vouched that they are harmless). A null stays null, so "no IP recorded" is still visible.
 */
export function maskEventData(type: string, data: unknown): unknown {
  // A type this build does not know: its shape is kept and every value masked.
  if (!isEventType(type)) return data !== null && typeof data === 'object' ? walk(undefined, data, '', new Set()) : mask(data);
  const personal = new Set(PERSONAL_DATA_FIELDS[type as EventType]);
  return walk(EVENT_SCHEMAS[type as EventType] as SchemaNode, data, '', personal);
}

function walk(schema: SchemaNode | undefined, value: unknown, path: string, personal: ReadonlySet<string>): unknown {
  if (path !== '' && personal.has(path)) return mask(value);
  if (Array.isArray(value)) return value.map((item) => walk(schema?.items, item, path, personal));
  if (value === null || typeof value !== 'object') return value;
  const properties = schema?.properties;
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value)) {
    const childPath = path === '' ? name : `${path}.${name}`;
    out[name] = properties && name in properties ? walk(properties[name], child, childPath, personal) : mask(child);
  }
  return out;
}

function mask(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(mask);
  return MASK;
}

// Error messages and stacks are free text that can quote an address (an SMTP 550 names the
// mailbox) or an IP; these patterns take out the common shapes.
const EMAIL = /[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+/g;
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
const IPV6 = /\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:)+:(?:[0-9a-f]{1,4}:?)*\b/gi;

export function redactText(text: string): string {
  return text.replace(EMAIL, `${MASK}@${MASK}`).replace(IPV4, MASK).replace(IPV6, MASK);
}
