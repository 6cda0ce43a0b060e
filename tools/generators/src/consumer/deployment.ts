import path from 'node:path';
import { Tree, generateFiles } from '@nx/devkit';
import type { ContractConstant } from './contracts-catalog';
import type { ConsumerNames } from './consumer-names';
import { appendToBlock, appendToList, fileEditor, insertAfterLast } from './text-edits';

export const DEPLOY_APPS_FILE = 'tools/deploy/src/deploy-apps.ts';
export const COMPOSE_FILE = 'docker-compose.yml';
export const COMPOSE_DATABASES_FILE = 'deploy/compose/postgres-init.sql';
export const COMPOSE_ENV_EXAMPLE = '.env.example';
export const K8S_BASE = 'k8s/base/kustomization.yaml';
export const K8S_DEV = 'k8s/overlays/dev/kustomization.yaml';
export const K8S_PROD = 'k8s/overlays/prod/kustomization.yaml';
export const DEPLOY_DOC = 'docs/deploy.md';

/** What tools/deploy/src/deploy-apps.ts gives every consumer; the deploy checks compare the files against it. */
const CONSUMER_NODE_OPTIONS = '--enable-source-maps --max-old-space-size=96 --max-semi-space-size=8';
const METRICS_PORT = 9464;

export interface DeploymentPlacement {
  readonly port: number;
  readonly topics: readonly ContractConstant[];
  /** The fewest partitions among the topics it reads: KEDA scales it no further. */
  readonly maxReplicas: number;
}

/**
 * Puts the consumer everywhere the platform is deployed from, the way the hand-written consumers
 * are: its build in the deploy table, a docker-compose service and database, and its k8s
 * Deployment, ScaledObject, PodDisruptionBudget and NetworkPolicy with their ConfigMap, images and
 * dev Secret. `deploy:check` then checks it like the others. Returns the edits it could not make.
 * The Kafka manifests (topics, user, ACLs) derive from contracts and are regenerated after the
 * tree is written.
 */
export function placeInDeployment(tree: Tree, consumer: ConsumerNames, placement: DeploymentPlacement): string[] {
  const manualSteps: string[] = [];
  const edit = fileEditor(tree, manualSteps);
  const { name, snakeName } = consumer;
  const { port } = placement;

  edit(DEPLOY_APPS_FILE, `add '${name}' to DEPLOY_APPS and an APP_SPECS entry like abuse-scan's (health port ${port})`, (text) => {
    let out: string | undefined = appendToList(text, /export const DEPLOY_APPS = \[([^\]]*)\] as const;/, `'${name}'`);
    out =
      out &&
      appendToBlock(
        out,
        /export const APP_SPECS: [^=]*= \{\n/,
        `  '${name}': {\n` +
          `    entries: { 'main.js': 'apps/${name}/src/main.ts' },\n` +
          '    assets: [],\n' +
          `    healthPort: { variable: 'HEALTH_PORT', port: ${port} },\n` +
          '    heap: CONSUMER_HEAP,\n' +
          '  },\n',
      );
    return out;
  });

  const hostPortVariable = `${snakeName.toUpperCase()}_HOST_PORT`;
  edit(COMPOSE_FILE, `add a service '${name}' like abuse-scan's`, (text) =>
    insertAfterLast(
      text,
      /\n {4}depends_on: \*after-setup\n/g,
      `\n  ${name}:\n` +
        '    <<: *app\n' +
        `    image: account-platform/${name}:\${PLATFORM_TAG:-dev}\n` +
        '    build:\n' +
        '      context: .\n' +
        '      args:\n' +
        `        APP: ${name}\n` +
        '    command: ["main.js"]\n' +
        '    environment:\n' +
        '      <<: *app-env\n' +
        `      HEALTH_PORT: "${port}"\n` +
        `      DATABASE_URL: postgres://postgres@postgres:5432/${snakeName}\n` +
        `      OTEL_SERVICE_NAME: ${name}\n` +
        `      NODE_OPTIONS: ${CONSUMER_NODE_OPTIONS}\n` +
        '    ports:\n' +
        `      - 127.0.0.1:\${${hostPortVariable}:-${port}}:${port}\n` +
        '    depends_on: *after-setup\n',
    ),
  );
  edit(COMPOSE_DATABASES_FILE, `add CREATE DATABASE ${snakeName};`, (text) => `${text.replace(/\n*$/, '\n')}CREATE DATABASE ${snakeName};\n`);
  edit(COMPOSE_ENV_EXAMPLE, `add ${hostPortVariable}=${port}`, (text) => insertAfterLast(text, /^[A-Z0-9_]+_HOST_PORT=3[12]\d\d\n/gm, `${hostPortVariable}=${port}\n`));

  generateFiles(tree, path.join(__dirname, 'deployment-files'), '.', {
    name,
    fileName: name,
    healthPort: port,
    metricsPort: METRICS_PORT,
    nodeOptions: CONSUMER_NODE_OPTIONS,
    topics: placement.topics,
    maxReplicas: placement.maxReplicas,
  });
  edit(K8S_BASE, `list apps/${name}.yaml in resources and add a ConfigMap ${name}-env (HEALTH_PORT=${port})`, (text) => {
    let out = insertAfterLast(text, /^ {2}- apps\/[\w-]+\.yaml\n/gm, `  - apps/${name}.yaml\n`);
    out =
      out &&
      insertAfterLast(
        out,
        /^ {2}- name: [\w-]+-env\n {4}literals:\n(?: {6}- .*\n)*? {6}- HEALTH_PORT=.*\n(?: {6}- .*\n)*/gm,
        `  - name: ${name}-env\n    literals:\n      - HEALTH_PORT=${port}\n      - DATABASE_POOL_SIZE=5\n`,
      );
    return out;
  });
  for (const overlay of [K8S_DEV, K8S_PROD]) {
    edit(overlay, `add the image account-platform/${name} to images`, (text) => {
      const entries = [...text.matchAll(/^ {2}- name: account-platform\/[\w-]+\n {4}newTag: (.*)\n/gm)];
      const tag = entries[entries.length - 1]?.[1];
      return tag === undefined ? undefined : insertAfterLast(text, /^ {2}- name: account-platform\/[\w-]+\n {4}newTag: .*\n/gm, `  - name: account-platform/${name}\n    newTag: ${tag}\n`);
    });
  }
  edit(K8S_DEV, `add a Secret ${name}-database (url) to secretGenerator, and the dev patches for its ScaledObject's triggers after the first`, (text) => {
    let out = insertAfterLast(
      text,
      /^ {2}- name: [\w-]+-database\n {4}literals:\n(?: {6}- .*\n)+/gm,
      `  - name: ${name}-database\n    literals:\n      - url=postgres://postgres@postgres:5432/${snakeName}\n`,
    );
    // The overlay points every ScaledObject's first trigger at its plain listener; a consumer of
    // several topics has a trigger per topic, and the others need the same.
    const extraTriggers = placement.topics.slice(1).map((_, i) => i + 1);
    if (out && extraTriggers.length > 0) out = appendDevTriggerPatch(out, name, extraTriggers);
    return out;
  });
  edit(DEPLOY_DOC, `say how to create the Secret ${name}-database`, (text) =>
    insertAfterLast(
      text,
      /^kubectl -n \$ns create secret generic [\w-]+-database --from-literal=url='[^'\n]*'\n/gm,
      `kubectl -n $ns create secret generic ${name}-database --from-literal=url='postgres://${snakeName}:PASSWORD@db.internal:5432/${snakeName}'\n`,
    ),
  );
  return manualSteps;
}

/** `patches:` must be the overlay's last key, so a patch can be appended at the end of the file. */
function appendDevTriggerPatch(text: string, name: string, triggers: readonly number[]): string | undefined {
  const at = text.search(/^patches:\n/m);
  if (at === -1 || /^\S/m.test(text.slice(at).split('\n').slice(1).join('\n'))) return undefined;
  const operations = triggers.flatMap((i) => [
    '      - op: replace',
    `        path: /spec/triggers/${i}/metadata/bootstrapServers`,
    '        value: platform-kafka-bootstrap:9092',
    '      - op: remove',
    `        path: /spec/triggers/${i}/authenticationRef`,
  ]);
  const patch = ['  - target:', '      kind: ScaledObject', `      name: ${name}`, '    patch: |-', ...operations].join('\n');
  return `${text.replace(/\n*$/, '\n')}${patch}\n`;
}
