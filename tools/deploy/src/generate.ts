import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { ROOT } from './build-app';
import { PROMETHEUS_RULE_FILE, prometheusRule } from './alert-rules';
import { KafkaObject, kafkaTopics, kafkaUsers } from './kafka-manifests';

/**
 * `nx run deploy:generate` writes the files of k8s/ that derive from code; `--check` only says
 * which of them differ (the deploy checks run the same comparison).
 */
const HEADER = (what: string) =>
  `# ${what}, generated from libs/contracts by \`npx nx run deploy:generate\`.\n# Edit the contracts (or tools/deploy/src/kafka-manifests.ts), not this file.\n`;
const RULES_HEADER =
  '# The platform\'s alerts for the Prometheus Operator, generated from deploy/prometheus/alerts.yml by\n# `npx nx run deploy:generate`. Edit that file (and its tests), not this one.\n';

function documents(objects: readonly KafkaObject[]): string {
  return objects.map((o) => `---\n${stringify(o, { lineWidth: 0 })}`).join('');
}

export function generatedFiles(): Record<string, string> {
  return {
    'k8s/base/kafka/topics.yaml': HEADER('One KafkaTopic per topic the platform declares') + documents(kafkaTopics()),
    'k8s/base/kafka/users.yaml': HEADER('One KafkaUser per app, with the ACLs it needs and no more') + documents(kafkaUsers()),
    [PROMETHEUS_RULE_FILE]: RULES_HEADER + stringify(prometheusRule(), { lineWidth: 0 }),
  };
}

/** Repository-relative paths whose committed content differs from what the generator writes. */
export function staleGeneratedFiles(): string[] {
  return Object.entries(generatedFiles())
    .filter(([path, content]) => {
      try {
        return readFileSync(join(ROOT, path), 'utf8') !== content;
      } catch {
        return true;
      }
    })
    .map(([path]) => path);
}

if (require.main === module) {
  if (process.argv.includes('--check')) {
    const stale = staleGeneratedFiles();
    if (stale.length > 0) {
      console.error(`out of date (run npx nx run deploy:generate): ${stale.join(', ')}`);
      process.exit(1);
    }
    console.log('generated k8s files are up to date');
  } else {
    for (const [path, content] of Object.entries(generatedFiles())) {
      writeFileSync(join(ROOT, path), content);
      console.log(`wrote ${relative(ROOT, join(ROOT, path))}`);
    }
  }
}
