import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments, parse } from 'yaml';
import { ROOT } from './build-app';
import { STRIMZI_SCHEMAS } from './strimzi-schemas';

/** What the deploy checks read: k8s/ rendered as kubectl renders it, docker-compose.yml as docker-compose resolves it. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- rendered YAML, checked field by field
  data?: Record<string, string>;
}

export const OVERLAYS = ['dev', 'prod'] as const;

export function renderKustomization(dir: string): K8sObject[] {
  const yaml = execFileSync('kubectl', ['kustomize', join(ROOT, dir)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

export interface Invalid {
  readonly kind: string;
  readonly name: string;
  readonly error: string;
}

/** Every object against its schema: kubernetes-models for the core API, KEDA and the Prometheus Operator, ours for Strimzi. */
export function validateObjects(objects: readonly K8sObject[]): Invalid[] {
  const strimzi = objects.filter((o) => o.apiVersion.startsWith('kafka.strimzi.io/'));
  const others = objects.filter((o) => !o.apiVersion.startsWith('kafka.strimzi.io/'));
  const invalid: Invalid[] = [];

  const ajv = new Ajv({ allErrors: true, strict: false });
  const validators = Object.fromEntries(Object.entries(STRIMZI_SCHEMAS).map(([kind, schema]) => [kind, ajv.compile(schema)]));
  for (const object of strimzi) {
    const { kind, metadata } = object;
    const validate = validators[kind];
    if (!validate) invalid.push({ kind, name: metadata.name, error: 'no schema for this Strimzi kind' });
    else if (!validate(object)) invalid.push({ kind, name: metadata.name, error: ajv.errorsText(validate.errors) });
  }

  const output = execFileSync(process.execPath, [join(__dirname, 'validate-k8s-objects.mjs')], {
    input: JSON.stringify(others),
    encoding: 'utf8',
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const result of JSON.parse(output) as { kind: string; name: string; error: string | null }[]) {
    if (result.error) invalid.push({ kind: result.kind, name: result.name, error: result.error });
  }
  return invalid;
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, string | null>;
  ports?: (string | { target: number; published?: number | string })[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string };
  profiles?: string[];
  volumes?: unknown[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/**
 * `docker-compose config` (Debian's docker-compose, which validates against the Compose schema
 * and needs no Docker engine for this), with an empty environment so a developer's exported
 * variables (KAFKA_PORT of the test suite, say) cannot change the result.
 */
export function composeConfig(): { ok: boolean; output: string; config?: ComposeFile } {
  try {
    const output = execFileSync('docker-compose', ['--project-directory', ROOT, '-f', join(ROOT, 'docker-compose.yml'), 'config'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, output, config: parse(output) as ComposeFile };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    return { ok: false, output: e.stderr || e.message };
  }
}

/** The script a container runs: the first `*.js` argument after node, from entrypoint then command. */
export function entryScript(entrypoint: unknown, command: unknown): string | undefined {
  const words = [entrypoint, command].flatMap((part) => (Array.isArray(part) ? part : typeof part === 'string' ? part.split(/\s+/) : [])) as string[];
  return words.find((word) => word.endsWith('.js'));
}
