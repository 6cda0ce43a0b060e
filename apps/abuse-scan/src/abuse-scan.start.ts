import type { ConsumerContext, ConsumerStart } from '@platform/consumer-runtime';
import { AbuseScanModule } from './abuse-scan.module';
import type { AbuseScanSettings } from './config';
import { loadDisposableDomains } from './rules/disposable-domains';
import { buildRules } from './rules/rule-set';
import { SignupScorer } from './rules/signup-scorer';
import { loadPolicy } from './rules/verdict-policy';
import { SignupScanHandler } from './scan/signup-scan.handler';

/** Builds the scorer and the handler; the runtime runs them. */
export async function startAbuseScan({ settings, publisher }: ConsumerContext<AbuseScanSettings>): Promise<ConsumerStart> {
  // Policy and domain list are loaded and validated before anything connects: a bad file stops
  // the start with the file name and every problem in it.
  const policy = loadPolicy(settings.policyFile);
  const domains = loadDisposableDomains(policy.rules['disposable-email-domain'].extraDomains, policy.rules['disposable-email-domain'].allowedDomains);
  const scorer = new SignupScorer(buildRules(policy, domains), policy);
  const handler = new SignupScanHandler(scorer, await publisher('verdicts'));
  return {
    module: AbuseScanModule.register(handler),
    summary: `policy ${policy.version} from ${settings.policyFile}; ${domains.size} disposable domains`,
  };
}
