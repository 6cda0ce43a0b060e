import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { closeHttpServer } from '@platform/config';

/** One span as an OTLP collector received it, flattened for assertions. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Undefined for a root span. */
  readonly parentSpanId?: string;
  readonly name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  /** The resource's service.name: which app sent it. */
  readonly service: string;
  readonly scope: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
}

export const OtlpSpanKind = { Internal: 1, Server: 2, Client: 3, Producer: 4, Consumer: 5 } as const;

interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: OtlpKeyValue[];
  status?: { code?: number };
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
}
interface OtlpTraceRequest {
  resourceSpans?: { resource?: { attributes?: OtlpKeyValue[] }; scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[] }[];
}

/**
 * A real OTLP/HTTP trace receiver, in the JSON encoding (OTEL_EXPORTER_OTLP_PROTOCOL=http/json):
 * apps export to it exactly as they would to a collector, and a test reads back what arrived.
 * Tests in another process read the spans over HTTP:
 *
 *   POST /v1/traces              what exporters send (metrics and logs are accepted and dropped)
 *   GET  /api/spans?traceId=...  the spans received, optionally of one trace
 */
export class OtlpReceiver {
  private readonly received: ReceivedSpan[] = [];
  private server?: Server;
  port = 0;

  constructor(private readonly options: { host?: string; port?: number } = {}) {}

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  /** What OTEL_EXPORTER_OTLP_ENDPOINT should be set to. */
  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.serve(req, res).catch((error: Error) => reply(res, 400, { error: error.message }));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.options.port ?? 0, this.host, resolve));
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await closeHttpServer(server);
  }

  spans(traceId?: string): ReceivedSpan[] {
    return traceId ? this.received.filter((span) => span.traceId === traceId) : [...this.received];
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (req.method === 'GET' && url.pathname === '/api/spans') return reply(res, 200, this.spans(url.searchParams.get('traceId') ?? undefined));
    if (req.method !== 'POST' || !url.pathname.startsWith('/v1/')) return reply(res, 404, { error: 'not found' });
    let body = await readBody(req);
    if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return reply(res, 415, { error: 'this receiver speaks OTLP/HTTP JSON only: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json' });
    }
    if (url.pathname === '/v1/traces') this.record(JSON.parse(body.toString('utf8')) as OtlpTraceRequest);
    reply(res, 200, {});
  }

  private record(request: OtlpTraceRequest): void {
    for (const resourceSpans of request.resourceSpans ?? []) {
      const resource = attributesOf(resourceSpans.resource?.attributes);
      for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
        for (const span of scopeSpans.spans ?? []) {
          const parent = span.parentSpanId ? hexId(span.parentSpanId) : '';
          this.received.push({
            traceId: hexId(span.traceId),
            spanId: hexId(span.spanId),
            ...(parent ? { parentSpanId: parent } : {}),
            name: span.name,
            kind: span.kind ?? 0,
            service: String(resource['service.name'] ?? ''),
            scope: scopeSpans.scope?.name ?? '',
            attributes: attributesOf(span.attributes),
            statusCode: span.status?.code ?? 0,
            startTimeUnixNano: String(span.startTimeUnixNano ?? '0'),
            endTimeUnixNano: String(span.endTimeUnixNano ?? '0'),
          });
        }
      }
    }
  }
}

/** The JSON encoding uses hex ids; base64 (the protobuf mapping's default) is accepted too. */
function hexId(id: string): string {
  return /^[0-9a-f]+$/i.test(id) && (id.length === 32 || id.length === 16) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) out[key] = valueOf(value);
  return out;
}

function valueOf(value: OtlpAnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values);
  return undefined;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
