import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { EventType } from './event-types';
import { EventSchemaError } from './errors';
import { AccountCreatedV1, accountCreatedV1Schema } from './events/account-created.v1';
import {
  AccountActivatedV1,
  AccountClosedV1,
  AccountReactivatedV1,
  AccountSuspendedV1,
  AccountUpdatedV1,
  accountActivatedV1Schema,
  accountClosedV1Schema,
  accountReactivatedV1Schema,
  accountSuspendedV1Schema,
  accountUpdatedV1Schema,
} from './events/account-lifecycle.v1';
import { AbuseVerdictV1, abuseVerdictV1Schema } from './events/abuse-verdict.v1';
import {
  ProvisioningCompletedV1,
  ProvisioningFailedV1,
  provisioningCompletedV1Schema,
  provisioningFailedV1Schema,
} from './events/provisioning-result.v1';

/** The data type of each event type: a handler for `account.created.v1` gets an AccountCreatedV1. */
export interface EventDataMap {
  [EventType.AccountCreated]: AccountCreatedV1;
  [EventType.AccountActivated]: AccountActivatedV1;
  [EventType.AccountUpdated]: AccountUpdatedV1;
  [EventType.AccountSuspended]: AccountSuspendedV1;
  [EventType.AccountReactivated]: AccountReactivatedV1;
  [EventType.AccountClosed]: AccountClosedV1;
  [EventType.AbuseVerdictIssued]: AbuseVerdictV1;
  [EventType.ProvisioningCompleted]: ProvisioningCompletedV1;
  [EventType.ProvisioningFailed]: ProvisioningFailedV1;
}

export const EVENT_SCHEMAS: { readonly [T in EventType]: object } = {
  [EventType.AccountCreated]: accountCreatedV1Schema,
  [EventType.AccountActivated]: accountActivatedV1Schema,
  [EventType.AccountUpdated]: accountUpdatedV1Schema,
  [EventType.AccountSuspended]: accountSuspendedV1Schema,
  [EventType.AccountReactivated]: accountReactivatedV1Schema,
  [EventType.AccountClosed]: accountClosedV1Schema,
  [EventType.AbuseVerdictIssued]: abuseVerdictV1Schema,
  [EventType.ProvisioningCompleted]: provisioningCompletedV1Schema,
  [EventType.ProvisioningFailed]: provisioningFailedV1Schema,
};

// Compiled once per process: ajv compiles to code, which is what keeps validation cheap per record.
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validators = new Map<EventType, ValidateFunction>(
  (Object.keys(EVENT_SCHEMAS) as EventType[]).map((type) => [type, ajv.compile(EVENT_SCHEMAS[type])]),
);

/** Checks data against its type's schema; throws EventSchemaError naming every violation. */
export function assertEventData<T extends EventType>(type: T, data: unknown): asserts data is EventDataMap[T] {
  const validate = validators.get(type);
  if (!validate) throw new EventSchemaError(`no schema for event type ${type}`, []);
  if (!validate(data)) {
    const violations = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new EventSchemaError(`${type} data does not match its schema: ${violations.join('; ')}`, violations);
  }
}
