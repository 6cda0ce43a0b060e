import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_SCHEMAS } from './src/event-catalog';
import { EventType } from './src/event-types';

// Records the current schemas as the compatibility baseline. Run after a reviewed, compatible
// change (or when adding a new type): npx nx run contracts:lock-schemas
for (const type of Object.keys(EVENT_SCHEMAS) as EventType[]) {
  writeFileSync(join(__dirname, 'schema-lock', `${type}.json`), `${JSON.stringify(EVENT_SCHEMAS[type], null, 2)}\n`);
}
