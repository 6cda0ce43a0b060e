import type { MessageHandler } from '@nestjs/microservices';
import type { EventEnvelope } from '@platform/contracts';
import type { FailureForwarder } from '../dead-letter/failure-forwarder';
import type { RuntimeHooks } from '../hooks/runtime-hooks';
import type { InboxStore } from '../inbox/inbox-store';
import type { PlatformLogger } from '@platform/observability';
import type { OrderingMode } from '../ordering/ordering-mode';
import type { ParkedKeys } from '../ordering/parked-keys';
import type { RetryPolicy } from '../retry/retry-policy';
import type { EventRouter } from '../routing/event-router';
import type { TopicRoutes } from '../routing/topic-routes';
import type { EventContext } from '../server/event-context';

/** What the middleware share; built once per server start. */
export interface PipelineDeps {
  readonly groupId: string;
  readonly routes: TopicRoutes;
  readonly router: EventRouter;
  readonly inbox: InboxStore;
  readonly parked: ParkedKeys;
  readonly forwarder: FailureForwarder;
  readonly retryPolicy: RetryPolicy;
  readonly ordering: OrderingMode;
  readonly hooks: Partial<RuntimeHooks>;
  readonly logger: PlatformLogger;
  /** Aborted by close(): waits end early and no new record starts. */
  readonly shutdown: AbortSignal;
  /** Runs `fn` after `ms` unless the server closes first. */
  readonly schedule: (ms: number, fn: () => void) => void;
  readonly invoke: (handler: MessageHandler, event: EventEnvelope, context: EventContext) => Promise<void>;
  readonly now: () => number;
}
