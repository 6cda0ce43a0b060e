/**
 * JSON schemas of the Strimzi objects k8s/ uses (kafka.strimzi.io/v1beta2, Strimzi 0.45-0.47),
 * written from the operator's CRD reference for the fields we set, and closed
 * (additionalProperties: false) at every level we set something, so a misspelt or misplaced field
 * fails here instead of being ignored by the operator. No package carries Strimzi's own schema.
 */
type Schema = Record<string, unknown>;

const closed = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  additionalProperties: false,
  properties,
  required,
});

const stringMap: Schema = { type: 'object', additionalProperties: { type: 'string' } };

const metadata = (extra: Record<string, Schema> = {}): Schema => ({
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', maxLength: 253 },
    namespace: { type: 'string' },
    labels: stringMap,
    annotations: stringMap,
    ...extra,
  },
});

/** A label the operator reads to know which cluster an object belongs to. */
const clusterLabelled = (): Schema => ({
  ...metadata(),
  required: ['name', 'labels'],
  properties: {
    ...(metadata().properties as Record<string, Schema>),
    labels: { ...stringMap, required: ['strimzi.io/cluster'] },
  },
});

const quantity: Schema = { anyOf: [{ type: 'string', pattern: '^[0-9.]+(m|Ki|Mi|Gi|Ti|k|M|G|T)?$' }, { type: 'number' }] };
const resources = closed({
  requests: { type: 'object', additionalProperties: quantity },
  limits: { type: 'object', additionalProperties: quantity },
});

const document = (kind: string, spec: Schema, meta: Schema): Schema => ({
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'kafka.strimzi.io/v1beta2' },
    kind: { const: kind },
    metadata: meta,
    spec,
  },
});

const ACL_OPERATIONS = ['Read', 'Write', 'Create', 'Delete', 'Alter', 'Describe', 'ClusterAction', 'AlterConfigs', 'DescribeConfigs', 'IdempotentWrite', 'All'];

export const KAFKA_TOPIC = document(
  'KafkaTopic',
  closed(
    {
      topicName: { type: 'string' },
      partitions: { type: 'integer', minimum: 1 },
      replicas: { type: 'integer', minimum: 1, maximum: 32767 },
      config: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    },
    ['partitions', 'replicas'],
  ),
  clusterLabelled(),
);

export const KAFKA_USER = document(
  'KafkaUser',
  closed({
    authentication: closed({ type: { enum: ['tls', 'tls-external', 'scram-sha-512'] } }, ['type']),
    authorization: closed(
      {
        type: { const: 'simple' },
        acls: {
          type: 'array',
          items: closed(
            {
              type: { enum: ['allow', 'deny'] },
              host: { type: 'string' },
              resource: closed(
                {
                  type: { enum: ['topic', 'group', 'cluster', 'transactionalId'] },
                  name: { type: 'string' },
                  patternType: { enum: ['literal', 'prefix'] },
                },
                ['type'],
              ),
              operations: { type: 'array', minItems: 1, items: { enum: ACL_OPERATIONS } },
            },
            ['resource', 'operations'],
          ),
        },
      },
      ['type', 'acls'],
    ),
  }),
  clusterLabelled(),
);

const listener = closed(
  {
    // Strimzi's rules: a short lower-case name, a port from 9092 on that is not one of its own.
    name: { type: 'string', pattern: '^[a-z0-9]{1,11}$' },
    port: { type: 'integer', minimum: 9092, not: { enum: [9404, 9999] } },
    type: { enum: ['internal', 'route', 'loadbalancer', 'nodeport', 'ingress', 'cluster-ip'] },
    tls: { type: 'boolean' },
    authentication: closed({ type: { enum: ['tls', 'scram-sha-512', 'oauth', 'custom'] } }, ['type']),
  },
  ['name', 'port', 'type', 'tls'],
);

export const KAFKA = document(
  'Kafka',
  closed(
    {
      kafka: closed(
        {
          version: { type: 'string', pattern: '^3\\.9\\.[0-9]+$' },
          metadataVersion: { type: 'string' },
          listeners: { type: 'array', minItems: 1, items: listener },
          authorization: closed({ type: { enum: ['simple', 'opa', 'keycloak', 'custom'] }, superUsers: { type: 'array', items: { type: 'string' } } }, ['type']),
          config: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
          resources,
        },
        ['listeners'],
      ),
      entityOperator: closed({ topicOperator: { type: 'object' }, userOperator: { type: 'object' } }),
    },
    ['kafka'],
  ),
  {
    ...metadata(),
    properties: {
      ...(metadata().properties as Record<string, Schema>),
      // Without both, Strimzi 0.45-0.47 looks for ZooKeeper and ignores the node pools.
      annotations: { ...stringMap, required: ['strimzi.io/kraft', 'strimzi.io/node-pools'], properties: { 'strimzi.io/kraft': { const: 'enabled' }, 'strimzi.io/node-pools': { const: 'enabled' } } },
    },
    required: ['name', 'annotations'],
  },
);

const volume = closed(
  {
    id: { type: 'integer', minimum: 0 },
    type: { enum: ['ephemeral', 'persistent-claim'] },
    size: { type: 'string' },
    sizeLimit: { type: 'string' },
    deleteClaim: { type: 'boolean' },
    class: { type: 'string' },
    kraftMetadata: { const: 'shared' },
  },
  ['type'],
);

export const KAFKA_NODE_POOL = document(
  'KafkaNodePool',
  closed(
    {
      replicas: { type: 'integer', minimum: 0 },
      roles: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: ['controller', 'broker'] } },
      storage: {
        oneOf: [
          closed({ type: { const: 'ephemeral' }, sizeLimit: { type: 'string' } }, ['type']),
          closed({ type: { const: 'persistent-claim' }, size: { type: 'string' }, deleteClaim: { type: 'boolean' }, class: { type: 'string' } }, ['type', 'size']),
          closed({ type: { const: 'jbod' }, volumes: { type: 'array', minItems: 1, items: volume } }, ['type', 'volumes']),
        ],
      },
      resources,
    },
    ['replicas', 'roles', 'storage'],
  ),
  clusterLabelled(),
);

export const STRIMZI_SCHEMAS: Readonly<Record<string, Schema>> = {
  Kafka: KAFKA,
  KafkaNodePool: KAFKA_NODE_POOL,
  KafkaTopic: KAFKA_TOPIC,
  KafkaUser: KAFKA_USER,
};
