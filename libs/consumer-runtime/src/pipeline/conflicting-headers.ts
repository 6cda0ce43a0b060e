import type { IHeaders } from 'kafkajs';
import { CloudEventHeader, EventDecodeError } from '@platform/contracts';

const ATTRIBUTES: readonly string[] = Object.values(CloudEventHeader);

/**
 * A CloudEvents attribute sent twice with different values makes the record ambiguous: this
 * runtime reads the first copy, a Java consumer (`lastHeader`) the last, so two consumers could
 * disagree on an event's type or id. Found by the fuzz run, where such a record was processed as
 * whatever its first copy said. Identical copies are harmless and pass.
 */
export function assertNoConflictingAttributes(headers: IHeaders | undefined): void {
  for (const name of ATTRIBUTES) {
    const raw = headers?.[name];
    if (!Array.isArray(raw) || raw.length < 2) continue;
    const values = new Set(raw.map((value) => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value))));
    if (values.size > 1) throw new EventDecodeError(`header ${name} appears ${raw.length} times with different values`, 'EVENT_HEADER_CONFLICT');
  }
}
