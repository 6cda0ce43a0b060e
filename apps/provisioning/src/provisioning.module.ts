import { DynamicModule, Module } from '@nestjs/common';
import { DeprovisionWorkspaceHandler } from './workspace/deprovision-workspace.handler';
import { ProvisionWorkspaceHandler } from './workspace/provision-workspace.handler';
import { WorkspaceController } from './workspace/workspace.controller';

/** The handlers are built in provisioning.start.ts from the settings; the module wires them to their controller. */
@Module({})
export class ProvisioningModule {
  static register(handlers: { provision: ProvisionWorkspaceHandler; deprovision: DeprovisionWorkspaceHandler }): DynamicModule {
    return {
      module: ProvisioningModule,
      controllers: [WorkspaceController],
      providers: [
        { provide: ProvisionWorkspaceHandler, useValue: handlers.provision },
        { provide: DeprovisionWorkspaceHandler, useValue: handlers.deprovision },
      ],
    };
  }
}
