/** The options of `nx g @platform/generators:consumer`, as schema.json describes them. */
export interface ConsumerGeneratorOptions {
  readonly name: string;
  /** Comma-separated event types, e.g. "account.created.v1,account.closed.v1". */
  readonly events?: string;
  readonly ordering?: 'park' | 'strict-in-place';
}
