/**
 * What each deployable app is, once, for the build, the images, docker-compose.yml and k8s/:
 * its entry points inside the image, the port its probes use, the variable that sets that port.
 * The checks in this project compare the deployment files against this table, so a renamed
 * entry point or port fails here instead of in a cluster.
 */
export const DEPLOY_APPS = ['accounts', 'accounts-relay', 'welcome-email', 'abuse-scan', 'provisioning', 'ops'] as const;
export type DeployApp = (typeof DEPLOY_APPS)[number];

export interface DeployAppSpec {
  /** Files written at the root of the build output (the image's working directory), each the compiled form of a source entry. */
  readonly entries: Readonly<Record<string, string>>;
  /** Files read at run time by path (not through require), copied as they are. */
  readonly assets: readonly string[];
  /** The port serving /health/live and /health/ready; undefined for the one-shot CLI. */
  readonly healthPort?: { readonly variable: string; readonly port: number };
  /**
   * V8's heap sizes in MB (`--max-old-space-size`, `--max-semi-space-size`, set through
   * NODE_OPTIONS where the app is deployed), when the app has them. Without them V8 sizes its heap
   * from the host's memory, not the container's, so it collects lazily and a pod grows toward its
   * limit; with them a consumer stays near its working set (docs/consumer-runtime.md, "Memory").
   */
  readonly heap?: HeapSizes;
}

export interface HeapSizes {
  readonly maxOldSpaceMb: number;
  readonly maxSemiSpaceMb: number;
}

/**
 * The consumers' heap: their working set is a few fetches in flight plus Nest and the clients.
 * The young generation is set too: V8 would otherwise give it 16 MB per semi-space whatever the
 * old-space cap, a third of the resident set for short-lived garbage.
 */
export const CONSUMER_HEAP: HeapSizes = { maxOldSpaceMb: 96, maxSemiSpaceMb: 8 };

export const APP_SPECS: Readonly<Record<DeployApp, DeployAppSpec>> = {
  accounts: {
    entries: {
      'main.js': 'apps/accounts/src/main.ts',
      'migrate.js': 'apps/accounts/src/migrate.ts',
      'api-keys.js': 'apps/accounts/src/api-keys/api-keys.cli.ts',
    },
    // openapi-file.ts serves the committed description; app-version.ts reads the version from package.json.
    assets: ['apps/accounts/openapi.json'],
    healthPort: { variable: 'PORT', port: 3000 },
  },
  'accounts-relay': {
    entries: { 'main.js': 'apps/accounts-relay/src/main.ts' },
    assets: [],
    healthPort: { variable: 'RELAY_HEALTH_PORT', port: 3100 },
  },
  'welcome-email': {
    entries: { 'main.js': 'apps/welcome-email/src/main.ts' },
    assets: [],
    healthPort: { variable: 'HEALTH_PORT', port: 3201 },
    heap: CONSUMER_HEAP,
  },
  'abuse-scan': {
    entries: { 'main.js': 'apps/abuse-scan/src/main.ts' },
    // verdict-policy.ts loads its default policy from beside itself.
    assets: ['apps/abuse-scan/src/rules/default-policy.json'],
    healthPort: { variable: 'HEALTH_PORT', port: 3202 },
    heap: CONSUMER_HEAP,
  },
  provisioning: {
    entries: { 'main.js': 'apps/provisioning/src/main.ts' },
    assets: [],
    healthPort: { variable: 'HEALTH_PORT', port: 3203 },
    heap: CONSUMER_HEAP,
  },
  ops: {
    entries: { 'main.js': 'apps/ops/src/main.ts' },
    assets: [],
  },
};

/** Where observability's Prometheus exporter listens in every app (the OpenTelemetry default). */
export const METRICS_PORT = 9464;

/** The image of an app, as docker-compose.yml and k8s/ name it (a registry prefix is an overlay's business). */
export function imageName(app: DeployApp): string {
  return `account-platform/${app}`;
}

/** The apps that run as services, with a health port: all but the one-shot CLI. */
export function servedApps(): DeployApp[] {
  return DEPLOY_APPS.filter((app) => APP_SPECS[app].healthPort !== undefined);
}

export function isDeployApp(name: string): name is DeployApp {
  return (DEPLOY_APPS as readonly string[]).includes(name);
}

/** The image's own NODE_OPTIONS (Dockerfile), what an app without heap sizes runs with. */
export const IMAGE_NODE_OPTIONS = '--enable-source-maps';

/** The NODE_OPTIONS an app runs with where it is deployed (docker-compose.yml, k8s/). */
export function nodeOptions(app: DeployApp): string {
  const heap = APP_SPECS[app].heap;
  return [IMAGE_NODE_OPTIONS, ...(heap ? [`--max-old-space-size=${heap.maxOldSpaceMb}`, `--max-semi-space-size=${heap.maxSemiSpaceMb}`] : [])].join(' ');
}
