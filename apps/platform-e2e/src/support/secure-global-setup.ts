import globalSetup from './global-setup';
import globalTeardown from './global-teardown';
import { startSecureBroker, stopSecureBroker } from './secure-broker';

/**
 * The platform of the normal end-to-end run, on a broker that speaks only SASL_SSL: the secure
 * broker's client env goes into this process's environment, which `ops topics apply` and every
 * app inherit, so they connect over TLS with SCRAM-SHA-512 from configuration alone.
 */
export default async function secureGlobalSetup(): Promise<void> {
  const clientEnv = await startSecureBroker();
  Object.assign(process.env, clientEnv);
  try {
    await globalSetup();
  } catch (error) {
    await globalTeardown().catch(() => undefined);
    await stopSecureBroker().catch(() => undefined);
    throw error;
  }
}
