/** The generator cannot do what it was asked; nothing has been written. */
export class ConsumerGeneratorError extends Error {
  constructor(
    message: string,
    readonly code: 'CONSUMER_NAME_INVALID' | 'CONSUMER_EXISTS' | 'EVENT_TYPE_UNKNOWN' | 'CONTRACTS_UNREADABLE',
  ) {
    super(message);
    this.name = 'ConsumerGeneratorError';
  }
}
