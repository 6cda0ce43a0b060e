// Imported first by main.ts: the SDK must hook `http` and `pg` before anything loads them.
import { startTelemetry } from '@platform/observability';

startTelemetry('accounts');
