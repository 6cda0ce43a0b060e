import { DynamicModule, Module } from '@nestjs/common';
import { SignupScanController } from './scan/signup-scan.controller';
import { SignupScanHandler } from './scan/signup-scan.handler';

/** The handler is built in abuse-scan.start.ts from the settings and the policy; the module wires it to its controller. */
@Module({})
export class AbuseScanModule {
  static register(handler: SignupScanHandler): DynamicModule {
    return {
      module: AbuseScanModule,
      controllers: [SignupScanController],
      providers: [{ provide: SignupScanHandler, useValue: handler }],
    };
  }
}
