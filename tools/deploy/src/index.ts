// What other projects may use of the deploy tooling: the Node options the images run each app with.
export { nodeOptions } from './deploy-apps';
export type { DeployApp } from './deploy-apps';
