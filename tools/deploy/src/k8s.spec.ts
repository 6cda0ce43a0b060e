import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS } from '@platform/consumer-runtime';
import { CONSUMERS, Consumer, allTopics, deadLetterTopicName, retryTopicName } from '@platform/contracts';
import { ROOT } from './build-app';
import { APP_SPECS, DeployApp, IMAGE_NODE_OPTIONS, METRICS_PORT, imageName, isDeployApp, nodeOptions, servedApps } from './deploy-apps';
import { staleGeneratedFiles } from './generate';
import { EXTRA_GROUPS, KAFKA_CLUSTER, PUBLISHES, maxUsefulReplicas } from './kafka-manifests';
import { K8sObject, OVERLAYS, entryScript, renderKustomization, validateObjects } from './rendered';

type Container = {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string }[];
};
type PodSpec = {
  containers: Container[];
  volumes?: { name: string; secret?: { secretName: string }; configMap?: { name: string } }[];
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  terminationGracePeriodSeconds?: number;
};

// From the tables, not listed here: a consumer the generator adds is checked like the others.
const PLATFORM_APPS = servedApps();
const CONSUMER_APPS = CONSUMERS.map((c) => c.name).filter((name) => name !== Consumer.AccountsInbox);

/**
 * Secrets the manifests reference but do not contain: Strimzi makes the KafkaUsers' and the
 * cluster CA's; the rest are made by hand, and docs/deploy.md must say how.
 */
const STRIMZI_SECRETS = (objects: K8sObject[]) => new Set([...objects.filter((o) => o.kind === 'KafkaUser').map((o) => o.metadata.name), `${KAFKA_CLUSTER}-cluster-ca-cert`]);

function podSpecOf(object: K8sObject): PodSpec | undefined {
  if (['Deployment', 'StatefulSet', 'Job'].includes(object.kind)) return object.spec.template.spec;
  if (object.kind === 'CronJob') return object.spec.jobTemplate.spec.template.spec;
  return undefined;
}

function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

function portNumber(container: Container, port: string | number): number | undefined {
  return typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
}

/** The environment a container gets from its ConfigMaps and literal env, as the app would read it. */
function envOf(container: Container, all: K8sObject[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, named(all, 'ConfigMap', source.configMapRef.name).data);
  }
  for (const variable of container.env ?? []) if (variable.value !== undefined) env[variable.name] = variable.value;
  return env;
}

describe('k8s/', () => {
  it('derives k8s/base/kafka from the contracts and k8s/monitoring from the alert rules (run `npx nx run deploy:generate` after changing them)', () => {
    expect(staleGeneratedFiles()).toEqual([]);
  });

  describe.each(OVERLAYS)('overlay %s', (overlay) => {
    const objects = renderKustomization(`k8s/overlays/${overlay}`);
    const of = (kind: string) => objects.filter((o) => o.kind === kind);
    const deployment = (app: string) => named(objects, 'Deployment', app);
    const container = (app: string) => podSpecOf(deployment(app))!.containers[0];

    it('renders, and every object is valid against its schema', () => {
      expect(objects.length).toBeGreaterThan(50);
      expect(validateObjects(objects)).toEqual([]);
    });

    it('declares every topic of the contracts as a KafkaTopic, and no other', () => {
      const rendered = of('KafkaTopic').map((t) => ({
        name: t.spec.topicName ?? t.metadata.name,
        partitions: t.spec.partitions,
        retentionMs: Number(t.spec.config['retention.ms']),
        cleanupPolicy: t.spec.config['cleanup.policy'],
      }));
      const declared = allTopics().map(({ name, partitions, retentionMs, cleanupPolicy }) => ({ name, partitions, retentionMs, cleanupPolicy }));
      expect(rendered.sort((a, b) => a.name.localeCompare(b.name))).toEqual(declared.sort((a, b) => a.name.localeCompare(b.name)));
      const kafkas = of('Kafka').map((k) => k.metadata.name);
      expect(kafkas).toEqual([KAFKA_CLUSTER]);
      for (const o of objects.filter((x) => x.apiVersion.startsWith('kafka.strimzi.io/') && x.kind !== 'Kafka')) {
        expect([o.kind, o.metadata.name, o.metadata.labels?.['strimzi.io/cluster']]).toEqual([o.kind, o.metadata.name, KAFKA_CLUSTER]);
      }
      const brokers = of('KafkaNodePool').filter((p) => p.spec.roles.includes('broker')).reduce((n, p) => n + p.spec.replicas, 0);
      for (const topic of of('KafkaTopic')) expect(topic.spec.replicas).toBeLessThanOrEqual(brokers);
    });

    it('lets each consumer read only its own topics and group, and write only its retries, dead letters and what it publishes', () => {
      const users = Object.fromEntries(of('KafkaUser').map((u) => [u.metadata.name, u.spec.authorization.acls as { resource: { type: string; name?: string; patternType?: string }; operations: string[] }[]]));
      expect(Object.keys(users)).toEqual(expect.arrayContaining([...PLATFORM_APPS, 'ops']));
      for (const consumer of CONSUMERS) {
        const app = consumer.name;
        const retries = consumer.topics.flatMap((t) => consumer.retryDelaysMs.map((_, i) => retryTopicName(t, consumer.groupId, i + 1)));
        const dlts = consumer.topics.map((t) => deadLetterTopicName(t, consumer.groupId));
        const extra = EXTRA_GROUPS[app] ?? [];
        const acls = users[app];
        const topics = (op: string) => acls.filter((a) => a.resource.type === 'topic' && a.operations.includes(op)).map((a) => a.resource.name);
        for (const acl of acls) expect([app, acl.resource.patternType ?? 'literal', acl.resource.name === '*']).toEqual([app, 'literal', false]);
        expect(new Set(topics('Read'))).toEqual(new Set([...consumer.topics, ...retries, ...extra.flatMap((e) => e.topics)]));
        expect(new Set(topics('Write'))).toEqual(new Set([...retries, ...dlts, ...(PUBLISHES[app] ?? [])]));
        const groups = acls.filter((a) => a.resource.type === 'group').map((a) => a.resource.name);
        expect(new Set(groups)).toEqual(new Set([consumer.groupId, ...extra.map((e) => e.group)]));
      }
      const relayWrites = users['accounts-relay'].filter((a) => a.operations.includes('Write')).map((a) => a.resource.name);
      expect(relayWrites).toEqual(PUBLISHES['accounts-relay']);
      expect(users['accounts-relay'].some((a) => a.operations.includes('Read'))).toBe(false);
    });

    it('deploys every consumer the contracts declare, each with a KafkaUser and (but the accounts inbox) a ScaledObject', () => {
      for (const consumer of CONSUMERS) {
        named(objects, 'Deployment', consumer.name);
        named(objects, 'KafkaUser', consumer.name);
        if (consumer.name !== Consumer.AccountsInbox) named(objects, 'ScaledObject', consumer.name);
      }
    });

    it.each(PLATFORM_APPS)('runs %s from its image, with the entry point its build produces', (app) => {
      const c = container(app);
      expect(c.image.split(':')[0]).toBe(imageName(app));
      expect(Object.keys(APP_SPECS[app].entries)).toContain(entryScript(c.command, c.args) ?? 'main.js');
    });

    it('runs the migrations and the replay template with entry points the builds produce', () => {
      const migrate = podSpecOf(named(objects, 'Job', 'accounts-migrate'))!.containers[0];
      expect([migrate.image.split(':')[0], entryScript(migrate.command, migrate.args)]).toEqual([imageName('accounts'), 'migrate.js']);
      const replayJob = named(objects, 'CronJob', 'ops-replay');
      expect(replayJob.spec.suspend).toBe(true);
      const replay = podSpecOf(replayJob)!.containers[0];
      expect([replay.image.split(':')[0], entryScript(replay.command, replay.args)]).toEqual([imageName('ops'), 'main.js']);
      expect(replay.args).toEqual(expect.arrayContaining(['dlt', 'replay']));
      for (const o of objects) {
        const spec = podSpecOf(o);
        for (const c of spec?.containers ?? []) {
          const app = c.image.split(':')[0].replace(/^account-platform\//, '');
          if (c.image.startsWith('account-platform/')) {
            expect([o.metadata.name, isDeployApp(app)]).toEqual([o.metadata.name, true]);
            expect(Object.keys(APP_SPECS[app as DeployApp].entries)).toContain(entryScript(c.command, c.args) ?? 'main.js');
          } else {
            // Third-party images are pinned, never "latest".
            expect([o.metadata.name, c.image]).toEqual([o.metadata.name, expect.stringMatching(/:(?!latest$)[\w.-]+$/)]);
          }
        }
      }
    });

    it.each(PLATFORM_APPS)('probes %s on its real health endpoints and port', (app) => {
      const c = container(app);
      const { variable, port } = APP_SPECS[app].healthPort!;
      expect(c.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(c.readinessProbe?.httpGet?.path).toBe('/health/ready');
      expect(portNumber(c, c.livenessProbe!.httpGet!.port)).toBe(port);
      expect(portNumber(c, c.readinessProbe!.httpGet!.port)).toBe(port);
      const env = envOf(c, objects);
      expect([variable, env[variable]]).toEqual([variable, String(port)]);
      expect(env[app === 'accounts' || app === 'accounts-relay' ? 'HOST' : 'HEALTH_HOST']).toBe('0.0.0.0');
      expect(portNumber(c, 'metrics')).toBe(METRICS_PORT);
      expect(deployment(app).spec.template.metadata.annotations?.['prometheus.io/port']).toBe(String(METRICS_PORT));
    });

    it.each(PLATFORM_APPS)('gives %s requests, limits, a non-root read-only container and a disruption budget', (app) => {
      const spec = podSpecOf(deployment(app))!;
      const c = spec.containers[0];
      expect(c.resources?.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
      expect(c.resources?.limits?.memory).toBeDefined();
      // The image's default NODE_OPTIONS, or the app's own heap cap, which must fit well inside the limit.
      expect([app, envOf(c, objects).NODE_OPTIONS ?? IMAGE_NODE_OPTIONS]).toEqual([app, nodeOptions(app)]);
      const heap = APP_SPECS[app].heap;
      if (heap) expect(mebibytes(c.resources!.limits!.memory)).toBeGreaterThanOrEqual(2 * (heap.maxOldSpaceMb + 3 * heap.maxSemiSpaceMb));
      expect(spec.securityContext?.runAsNonRoot).toBe(true);
      expect(c.securityContext).toEqual(expect.objectContaining({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }));
      const pdb = of('PodDisruptionBudget').find((p) => p.spec.selector.matchLabels['app.kubernetes.io/name'] === app);
      expect(pdb).toBeDefined();
    });

    it('gives the consumers longer to stop than their drain takes, and the relay longer than its shutdown timeout', () => {
      for (const app of CONSUMER_APPS) expect(podSpecOf(deployment(app))!.terminationGracePeriodSeconds).toBeGreaterThan(DEFAULT_SHUTDOWN_TIMEOUT_MS / 1000);
      expect(podSpecOf(deployment('accounts-relay'))!.terminationGracePeriodSeconds).toBeGreaterThan(25);
    });

    it('scales accounts on CPU, and each consumer on its group lag up to its partition count', () => {
      expect(named(objects, 'Service', 'accounts').spec.ports[0].port).toBe(APP_SPECS.accounts.healthPort!.port);
      const hpa = named(objects, 'HorizontalPodAutoscaler', 'accounts');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'accounts' });
      expect(deployment('accounts').spec.replicas).toBeUndefined();
      for (const app of CONSUMER_APPS) {
        const scaled = named(objects, 'ScaledObject', app);
        const consumer = CONSUMERS.find((c) => c.name === app)!;
        expect(scaled.spec.scaleTargetRef.name).toBe(app);
        expect(scaled.spec.maxReplicaCount).toBeLessThanOrEqual(maxUsefulReplicas(app));
        expect(deployment(app).spec.replicas).toBeUndefined();
        for (const trigger of scaled.spec.triggers) {
          expect(trigger.type).toBe('kafka');
          expect(trigger.metadata.consumerGroup).toBe(consumer.groupId);
          expect(consumer.topics).toContain(trigger.metadata.topic);
          expect(trigger.metadata.bootstrapServers).toBe(envOf(container(app), objects).KAFKA_BROKERS);
          if (trigger.authenticationRef) named(objects, 'TriggerAuthentication', trigger.authenticationRef.name);
        }
      }
    });

    it('lets nothing reach the consumers and the relay but probes and metrics scrapes', () => {
      const deny = of('NetworkPolicy').find((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/part-of'] === 'account-platform');
      expect(deny?.spec.ingress ?? []).toEqual([]);
      for (const app of [...CONSUMER_APPS, 'accounts-relay']) {
        expect(deployment(app).spec.template.metadata.labels['app.kubernetes.io/part-of']).toBe('account-platform');
        const policies = of('NetworkPolicy').filter((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === app);
        const ports = policies.flatMap((p) => (p.spec.ingress ?? []).flatMap((rule: { ports?: { port: string }[] }) => (rule.ports ?? []).map((x) => x.port)));
        expect(new Set(ports)).toEqual(new Set(['health', 'metrics']));
        expect(policies.flatMap((p) => p.spec.ingress).every((rule: { ports?: unknown[] }) => (rule.ports ?? []).length > 0)).toBe(true);
      }
    });

    it('references only ConfigMaps it contains, and Secrets that Strimzi makes or the docs tell how to make', () => {
      const docs = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
      const strimzi = STRIMZI_SECRETS(objects);
      const secrets = new Set(of('Secret').map((s) => s.metadata.name));
      const configMaps = new Set(of('ConfigMap').map((c) => c.metadata.name));
      const missing: string[] = [];
      for (const o of objects) {
        const spec = podSpecOf(o);
        if (!spec) continue;
        const secretRefs = [
          ...spec.containers.flatMap((c) => (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : []))),
          ...(spec.volumes ?? []).flatMap((v) => (v.secret ? [v.secret.secretName] : [])),
        ];
        for (const name of secretRefs) if (!secrets.has(name) && !strimzi.has(name) && !docs.includes(`secret generic ${name}`)) missing.push(`${o.kind}/${o.metadata.name} -> Secret ${name}`);
        const configRefs = [
          ...spec.containers.flatMap((c) => (c.envFrom ?? []).flatMap((e) => (e.configMapRef ? [e.configMapRef.name] : []))),
          ...(spec.volumes ?? []).flatMap((v) => (v.configMap ? [v.configMap.name] : [])),
        ];
        for (const name of configRefs) if (!configMaps.has(name)) missing.push(`${o.kind}/${o.metadata.name} -> ConfigMap ${name}`);
      }
      for (const auth of of('TriggerAuthentication')) {
        for (const ref of auth.spec.secretTargetRef ?? []) if (!secrets.has(ref.name) && !docs.includes(`secret generic ${ref.name}`)) missing.push(`TriggerAuthentication -> Secret ${ref.name}`);
      }
      expect(missing).toEqual([]);
    });
  });
});

/** A Kubernetes memory quantity in MiB (only the binary suffixes these manifests use). */
function mebibytes(quantity: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}
