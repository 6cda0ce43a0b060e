import { EventType } from './event-types';
import { Topic, TopicName } from './topics';

/**
 * Which topic carries each event type. A consumer of a type reads this topic; typed so that a new
 * event type cannot be added without saying where it travels.
 */
export const EVENT_TOPIC: { readonly [T in EventType]: TopicName } = {
  [EventType.AccountCreated]: Topic.AccountLifecycle,
  [EventType.AccountActivated]: Topic.AccountLifecycle,
  [EventType.AccountUpdated]: Topic.AccountLifecycle,
  [EventType.AccountSuspended]: Topic.AccountLifecycle,
  [EventType.AccountReactivated]: Topic.AccountLifecycle,
  [EventType.AccountClosed]: Topic.AccountLifecycle,
  [EventType.AbuseVerdictIssued]: Topic.AbuseVerdicts,
  [EventType.ProvisioningCompleted]: Topic.ProvisioningResults,
  [EventType.ProvisioningFailed]: Topic.ProvisioningResults,
};
