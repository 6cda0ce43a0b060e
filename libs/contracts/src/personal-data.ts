import { EventType } from './event-types';

/**
 * The fields of each event type's data that identify or describe a person, as dot paths into
 * `data` (an array's elements are addressed by the array's path). Tools that show events to
 * people, the ops CLI above all, mask these unless someone asks to see them and is audited.
 * Declared for every type, beside the schemas, so adding an event type means deciding this too.
 * Free text written by people (suspension reasons) counts: nobody can vouch for what it says.
 */
export const PERSONAL_DATA_FIELDS: { readonly [T in EventType]: readonly string[] } = {
  [EventType.AccountCreated]: ['email', 'displayName', 'externalId', 'signupContext.ip', 'signupContext.userAgent'],
  [EventType.AccountActivated]: [],
  [EventType.AccountUpdated]: [],
  [EventType.AccountSuspended]: ['reasons'],
  [EventType.AccountReactivated]: ['reason'],
  [EventType.AccountClosed]: [],
  [EventType.AbuseVerdictIssued]: [],
  [EventType.ProvisioningCompleted]: [],
  [EventType.ProvisioningFailed]: [],
};
