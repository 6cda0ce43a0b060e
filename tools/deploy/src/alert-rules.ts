import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALERT_RULES_FILE, prometheusConfig } from '@platform/dev-stack';
import { ROOT } from './build-app';
import { METRICS_PORT, servedApps } from './deploy-apps';

export { ALERT_RULES_FILE };
/** promtool's unit tests of those rules. */
export const ALERT_TESTS_FILE = 'deploy/prometheus/alerts.test.yml';
/** The Prometheus of docker-compose.yml: every served app, by its service name, with the rules mounted beside it. */
export const COMPOSE_PROMETHEUS_FILE = 'deploy/prometheus/compose.yml';
/** Where docker-compose.yml mounts alerts.yml in its Prometheus. */
export const COMPOSE_ALERT_RULES_PATH = '/etc/prometheus/alerts.yml';

export function composePrometheusConfig(): string {
  const targets = Object.fromEntries(servedApps().map((app) => [app, `${app}:${METRICS_PORT}`]));
  return prometheusConfig(targets, 15, COMPOSE_ALERT_RULES_PATH);
}

/** Where k8s gets them: a PrometheusRule for the Prometheus Operator (k8s/monitoring). */
export const PROMETHEUS_RULE_FILE = 'k8s/monitoring/prometheus-rule.yaml';

export interface PrometheusRuleObject {
  readonly apiVersion: 'monitoring.coreos.com/v1';
  readonly kind: 'PrometheusRule';
  readonly metadata: { readonly name: string; readonly labels: Record<string, string> };
  readonly spec: { readonly groups: unknown[] };
}

/** The rule file's groups, unchanged, as the Prometheus Operator takes them. */
export function prometheusRule(): PrometheusRuleObject {
  const rules = parse(readFileSync(join(ROOT, ALERT_RULES_FILE), 'utf8')) as { groups: unknown[] };
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'account-platform-alerts', labels: { 'app.kubernetes.io/name': 'account-platform-alerts' } },
    spec: { groups: rules.groups },
  };
}
