import globalTeardown from './global-teardown';
import { stopSecureBroker } from './secure-broker';

export default async function secureGlobalTeardown(): Promise<void> {
  try {
    await globalTeardown();
  } finally {
    await stopSecureBroker();
  }
}
