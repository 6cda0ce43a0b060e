// Validates Kubernetes objects against the schemas of the kubernetes-models packages (the core
// API, KEDA and the Prometheus Operator). Those packages are ES modules only, which Jest's CommonJS runtime cannot load,
// so the deploy checks run this with plain node: JSON array of objects on stdin, JSON array of
// { index, kind, name, error } on stdout (an object with no model gets error "no schema").
const MODULES = {
  'keda.sh': (version) => `@kubernetes-models/keda/keda.sh/${version}`,
  'monitoring.coreos.com': (version) => `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}`,
};

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const specifier = MODULES[group] ? MODULES[group](version) : group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  try {
    const module = await import(specifier);
    return module[kind];
  } catch {
    return undefined;
  }
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const objects = JSON.parse(input);
const results = [];
for (const [index, object] of objects.entries()) {
  const Model = await modelOf(object.apiVersion ?? '', object.kind ?? '');
  const base = { index, kind: object.kind, name: object.metadata?.name };
  if (!Model) {
    results.push({ ...base, error: 'no schema' });
    continue;
  }
  try {
    new Model(object).validate();
    results.push({ ...base, error: null });
  } catch (error) {
    results.push({ ...base, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
