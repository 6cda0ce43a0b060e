import { Module } from '@nestjs/common';
import { DocsHttpController } from './docs.http.controller';

@Module({ controllers: [DocsHttpController] })
export class DocsModule {}
