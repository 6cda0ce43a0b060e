// The CLI as a process, on the throwaway catalog a spec passes in OPS_TEST_CATALOG (JSON), so
// specs run every command for real without touching the platform's shared topics.
import type { OpsCatalog } from '../catalog';
import { runOps } from '../cli';

const catalog = JSON.parse(process.env.OPS_TEST_CATALOG ?? 'null') as OpsCatalog | null;
if (!catalog) throw new Error('OPS_TEST_CATALOG is not set');
void runOps(process.argv, catalog, process.env);
