import { DynamicModule, Module } from '@nestjs/common';
import { WelcomeMailHandler } from './welcome/welcome-mail.handler';
import { WelcomeController } from './welcome/welcome.controller';

/** The handler is built in welcome-email.start.ts from the settings, so the module only wires it to its controller. */
@Module({})
export class WelcomeEmailModule {
  static register(handler: WelcomeMailHandler): DynamicModule {
    return {
      module: WelcomeEmailModule,
      controllers: [WelcomeController],
      providers: [{ provide: WelcomeMailHandler, useValue: handler }],
    };
  }
}
