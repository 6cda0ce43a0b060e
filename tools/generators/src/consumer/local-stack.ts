import type { Tree } from '@nx/devkit';
import type { ConsumerNames } from './consumer-names';
import { appendToBlock, appendToList, fileEditor, insertAfter } from './text-edits';

export const STACK_FILE = 'tools/dev/stack.ts';
export const UP_FILE = 'tools/dev/up.ts';
export const E2E_SETUP_FILE = 'apps/platform-e2e/src/support/global-setup.ts';

/** Consumers' health ports in the local stack start here (welcome-email has 3201). */
const FIRST_CONSUMER_PORT = 3201;

export interface StackPlacement {
  /** The consumer's health port under `npm run up`; also its config default. */
  readonly port: number;
  /** Edits that could not be made, each with what to do by hand. */
  readonly manualSteps: string[];
}

/**
 * Gives the consumer its place in the local stack: a database, a health port, its environment
 * and its entry point in tools/dev/stack.ts, so `npm run up` starts it and the end-to-end suite
 * runs with it. These files belong to the whole team and change; an edit whose anchor is gone is
 * skipped and reported as a manual step rather than failing the generator.
 */
export function placeInLocalStack(tree: Tree, consumer: ConsumerNames): StackPlacement {
  const manualSteps: string[] = [];
  const stack = tree.read(STACK_FILE, 'utf-8');
  const port = stack ? nextConsumerPort(stack) : FIRST_CONSUMER_PORT;
  const { name, snakeName } = consumer;

  const edit = fileEditor(tree, manualSteps);

  edit(STACK_FILE, `add '${snakeName}' to SERVICE_DATABASES, '${name}' to APPS, DEV_PORTS ('${name}': ${port}) and APP_ENTRIES, and a case in appEnv`, (text) => {
    let out: string | undefined = text;
    out = out && appendToList(out, /export const SERVICE_DATABASES = \[([^\]]*)\] as const;/, `'${snakeName}'`);
    out = out && appendToList(out, /export const APPS = \[([^\]]*)\] as const;/, `'${name}'`);
    out = out && appendToBlock(out, /export const DEV_PORTS: Record<AppName, number> = \{\n/, `  '${name}': ${port},\n`);
    out = out && appendToBlock(out, /export const APP_ENTRIES: Record<AppName, string> = \{\n/, `  '${name}': 'apps/${name}/src/main.ts',\n`);
    out =
      out &&
      insertAfter(
        out,
        /export function appEnv\([^)]*\)[^{]*\{[\s\S]*?switch \(app\) \{\n/,
        `    case '${name}':\n      return { ...common, HEALTH_PORT: String(s.ports['${name}']), DATABASE_URL: databaseUrl(s, '${snakeName}') };\n`,
      );
    return out;
  });
  edit(UP_FILE, `add ${snakeName}: '${snakeName}' to the databases of settings()`, (text) => appendToList(text, /databases: \{([^}]*)\}/, `${snakeName}: '${snakeName}'`));
  edit(E2E_SETUP_FILE, `give '${name}' a port in the settings' ports`, (text) => {
    const ports = /ports: \{([^}]*)\}/.exec(text);
    if (!ports) return undefined;
    const count = ports[1].split(',').filter((entry) => entry.trim()).length;
    return appendToList(text, /ports: \{([^}]*)\}/, `'${name}': base + ${count}`);
  });
  return { port, manualSteps };
}

function nextConsumerPort(stack: string): number {
  const block = /export const DEV_PORTS[^{]*\{([^}]*)\}/.exec(stack)?.[1] ?? '';
  const ports = [...block.matchAll(/:\s*(\d+)/g)].map((m) => Number(m[1])).filter((p) => p >= FIRST_CONSUMER_PORT && p < FIRST_CONSUMER_PORT + 99);
  return ports.length === 0 ? FIRST_CONSUMER_PORT : Math.max(...ports) + 1;
}
