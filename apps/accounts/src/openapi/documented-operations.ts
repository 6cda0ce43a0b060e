import { ChangeAccountStatusHttpController } from '../accounts/change-account-status.http.controller';
import { CreateAccountHttpController } from '../accounts/create-account.http.controller';
import { GetAccountHttpController } from '../accounts/get-account.http.controller';
import { ListAccountsHttpController } from '../accounts/list-accounts.http.controller';
import { UpdateAccountHttpController } from '../accounts/update-account.http.controller';
import { HealthHttpController } from '../health/health.http.controller';
import { ACCEPTED_JSON_MEDIA_TYPES } from '../problem-details/media-type';
import { HandlerRef, handler } from './handler-route';
import type { ResponseHeaderName } from './openapi-headers';
import type { ParameterName } from './openapi-parameters';
import type { SchemaName } from './openapi-schemas';
import type { ProblemCode } from './problem-catalog';

export interface SuccessSpec {
  readonly description: string;
  /** The JSON body; none for 204. */
  readonly schema?: SchemaName;
  /** true: always sent; false: sometimes. */
  readonly headers?: Partial<Record<ResponseHeaderName, boolean>>;
}

export interface RequestBodySpec {
  readonly schema: SchemaName;
  readonly mediaTypes: readonly string[];
  readonly description?: string;
}

/**
 * What the code cannot say about an operation: prose, parameters, and which domain problems it
 * raises. Method, path, success status and scope are not here: the builder reads them from the
 * handler's decorators, so they cannot disagree with what Nest serves.
 */
export interface DocumentedOperation {
  readonly handler: HandlerRef;
  readonly operationId: string;
  readonly tag: 'Accounts' | 'Health';
  readonly summary: string;
  readonly description?: string;
  readonly parameters?: readonly ParameterName[];
  readonly requestBody?: RequestBodySpec;
  readonly success: SuccessSpec;
  /**
   * Codes particular to this operation. Those every operation of its kind can give (auth, rate
   * limit, back-pressure, body parsing, a bad path, 500) are added by the builder.
   */
  readonly problems: readonly ProblemCode[];
  /** Statuses that may also come back as the replay of an earlier request with the same Idempotency-Key. */
  readonly replayedStatuses?: readonly number[];
}

const JSON_ONLY = ['application/json'];
const ACCOUNT_HEADERS = { ETag: true, 'Cache-Control': true } as const;
const TRACE: readonly ParameterName[] = ['Traceparent', 'Tracestate'];

export const DOCUMENTED_OPERATIONS: readonly DocumentedOperation[] = [
  {
    handler: handler(ListAccountsHttpController, 'list'),
    operationId: 'listAccounts',
    tag: 'Accounts',
    summary: 'List accounts, oldest first',
    description:
      'Keyset-paginated in creation order, so pages stay stable while accounts are being created. Unknown query parameters, ' +
      'and parameters given more than once, are refused with 400. Served from a read replica when one is configured: ' +
      'an account changed in the last moments may be missing or show its previous version; `GET /v1/accounts/{id}` never lags.',
    parameters: ['EmailFilter', 'StatusFilter', 'Limit', 'Cursor'],
    success: { description: 'A page of accounts.', schema: 'AccountList', headers: { 'Cache-Control': true } },
    problems: ['VALIDATION_FAILED'],
  },
  {
    handler: handler(CreateAccountHttpController, 'create'),
    operationId: 'createAccount',
    tag: 'Accounts',
    summary: 'Sign up: create a pending account',
    description:
      'Creates the account in state `pending` and emits `account.created.v1` in the same transaction. The email is trimmed; ' +
      'it is unique regardless of letter case. `locale` defaults to `en` and is stored in canonical form, `plan` defaults to `free`. ' +
      'The signup context is kept for the abuse scan and never shown. Send an `Idempotency-Key` to make retries safe.',
    parameters: ['IdempotencyKey', ...TRACE],
    requestBody: { schema: 'CreateAccountRequest', mediaTypes: JSON_ONLY },
    success: {
      description: 'Created. A replay of an earlier request with the same `Idempotency-Key` shows the account as it was created.',
      schema: 'Account',
      headers: { Location: true, ...ACCOUNT_HEADERS, 'Idempotent-Replayed': false },
    },
    problems: [
      'VALIDATION_FAILED',
      'IDEMPOTENCY_KEY_INVALID',
      'EMAIL_ALREADY_REGISTERED',
      'EXTERNAL_ID_ALREADY_REGISTERED',
      'IDEMPOTENCY_KEY_IN_PROGRESS',
      'LOCALE_INVALID',
      'IDEMPOTENCY_KEY_REUSED',
    ],
    // A refusal is stored with the key, so the same request is refused the same way again.
    replayedStatuses: [400, 409, 422],
  },
  {
    handler: handler(GetAccountHttpController, 'get'),
    operationId: 'getAccount',
    tag: 'Accounts',
    summary: 'Get an account',
    description: 'Always read from the primary, so it reflects every change acknowledged before. A closed account is shown erased.',
    parameters: ['AccountId'],
    success: { description: 'The account.', schema: 'Account', headers: ACCOUNT_HEADERS },
    problems: ['INVALID_ACCOUNT_ID', 'ACCOUNT_NOT_FOUND'],
  },
  {
    handler: handler(UpdateAccountHttpController, 'update'),
    operationId: 'updateAccount',
    tag: 'Accounts',
    summary: 'Update the profile (JSON merge patch)',
    description:
      'A JSON merge patch (RFC 7386) of `displayName`, `locale`, `plan` and `externalId`, at least one. The email cannot be ' +
      'changed here; `externalId` can be set once. Emits `account.updated.v1` naming the changed fields; a patch that changes ' +
      'nothing writes nothing and keeps the version.',
    parameters: ['AccountId', 'IfMatchRequired', ...TRACE],
    requestBody: { schema: 'UpdateAccountRequest', mediaTypes: ACCEPTED_JSON_MEDIA_TYPES },
    success: { description: 'The updated account, with its new ETag.', schema: 'Account', headers: ACCOUNT_HEADERS },
    problems: [
      'INVALID_ACCOUNT_ID',
      'VALIDATION_FAILED',
      'INVALID_IF_MATCH',
      'ACCOUNT_NOT_FOUND',
      'ACCOUNT_CLOSED',
      'EXTERNAL_ID_ALREADY_REGISTERED',
      'VERSION_MISMATCH',
      'LOCALE_INVALID',
      'EXTERNAL_ID_IMMUTABLE',
      'IF_MATCH_REQUIRED',
    ],
  },
  {
    handler: handler(ChangeAccountStatusHttpController, 'suspend'),
    operationId: 'suspendAccount',
    tag: 'Accounts',
    summary: 'Suspend an account',
    description: 'From `pending` or `active`. Emits `account.suspended.v1` with the reason.',
    parameters: ['AccountId', 'IfMatch', ...TRACE],
    requestBody: { schema: 'AccountTransitionRequest', mediaTypes: JSON_ONLY, description: 'Why, for the audit trail and the event.' },
    success: { description: 'The suspended account.', schema: 'Account', headers: ACCOUNT_HEADERS },
    problems: ['INVALID_ACCOUNT_ID', 'VALIDATION_FAILED', 'INVALID_IF_MATCH', 'ACCOUNT_NOT_FOUND', 'ILLEGAL_STATE_TRANSITION', 'VERSION_MISMATCH'],
  },
  {
    handler: handler(ChangeAccountStatusHttpController, 'reactivate'),
    operationId: 'reactivateAccount',
    tag: 'Accounts',
    summary: 'Reactivate a suspended account',
    description:
      'Back to `active`, or to `pending` when the workspace was never provisioned (provisioning then activates it). ' +
      'Emits `account.reactivated.v1` with the reason.',
    parameters: ['AccountId', 'IfMatch', ...TRACE],
    requestBody: { schema: 'AccountTransitionRequest', mediaTypes: JSON_ONLY, description: 'Why, for the audit trail and the event.' },
    success: { description: 'The reactivated account.', schema: 'Account', headers: ACCOUNT_HEADERS },
    problems: ['INVALID_ACCOUNT_ID', 'VALIDATION_FAILED', 'INVALID_IF_MATCH', 'ACCOUNT_NOT_FOUND', 'ILLEGAL_STATE_TRANSITION', 'VERSION_MISMATCH'],
  },
  {
    handler: handler(ChangeAccountStatusHttpController, 'close'),
    operationId: 'closeAccount',
    tag: 'Accounts',
    summary: 'Close an account and erase its personal data',
    description:
      'Final. In the same transaction the email becomes `erased:<id>`, the display name `erased`, and the external id, ' +
      'signup context and suspension reasons are cleared; the email can register again. Emits `account.closed.v1`, which carries no personal data.',
    parameters: ['AccountId', 'IfMatch', ...TRACE],
    success: { description: 'Closed; the new ETag is sent for clients that track versions.', headers: { ETag: true } },
    problems: ['INVALID_ACCOUNT_ID', 'INVALID_IF_MATCH', 'ACCOUNT_NOT_FOUND', 'ILLEGAL_STATE_TRANSITION', 'VERSION_MISMATCH'],
  },
  {
    handler: handler(HealthHttpController, 'live'),
    operationId: 'liveness',
    tag: 'Health',
    summary: 'Liveness probe',
    description: 'The process answers. Touches nothing else.',
    success: { description: 'Alive.', schema: 'LiveStatus', headers: { 'Cache-Control': true } },
    problems: [],
  },
  {
    handler: handler(HealthHttpController, 'ready'),
    operationId: 'readiness',
    tag: 'Health',
    summary: 'Readiness probe',
    description: 'The database answers within 2 seconds. A failing instance should leave the load balancer, not be restarted.',
    success: { description: 'Ready.', schema: 'ReadyStatus', headers: { 'Cache-Control': true } },
    problems: ['NOT_READY'],
  },
];
