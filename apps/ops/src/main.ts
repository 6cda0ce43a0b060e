import { platformCatalog } from './catalog';
import { runOps } from './cli';

void runOps(process.argv, platformCatalog(), process.env);
