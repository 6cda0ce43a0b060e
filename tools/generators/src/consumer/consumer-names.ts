import { names } from '@nx/devkit';
import { ConsumerGeneratorError } from './consumer-generator-error';

/** Every spelling of one consumer's name the generated code and the edits need. */
export interface ConsumerNames {
  /** audit-log: the app directory, Nx project, consumer name and consumer group. */
  readonly name: string;
  /** AuditLog: the key in contracts' Consumer, and the prefix of its classes. */
  readonly className: string;
  /** auditLog */
  readonly propertyName: string;
  /** audit_log: its database and inbox schema (PostgreSQL identifiers, no hyphens). */
  readonly snakeName: string;
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
// PostgreSQL cuts identifiers at 63 bytes; the group name also becomes part of topic names.
const MAX_LENGTH = 40;

export function consumerNames(raw: string): ConsumerNames {
  const name = raw.trim();
  if (!NAME.test(name) || name.length > MAX_LENGTH) {
    throw new ConsumerGeneratorError(`consumer name must be kebab case of at most ${MAX_LENGTH} characters (e.g. audit-log), got "${raw}"`, 'CONSUMER_NAME_INVALID');
  }
  const { className, propertyName, constantName } = names(name);
  return { name, className, propertyName, snakeName: constantName.toLowerCase() };
}
