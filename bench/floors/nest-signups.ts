/**
 * Floor for bench/signups.ts: the sign-up statement behind NestJS (Express) and TypeORM's
 * DataSource.query, the service's own stack, with nothing of the service on it (no key,
 * validation, rate limit, back-pressure, telemetry or error mapping). PORT, DATABASE_URL,
 * DATABASE_POOL_SIZE; GET /health/ready answers 200 once listening.
 */
import 'reflect-metadata';
import { Body, Controller, Get, Module, Post, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import type { CreateAccountCommand } from '../../apps/accounts/src/accounts/create-account.service';
import { signup } from './signup-statement';

const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 16) });

@Controller()
class SignupFloorController {
  @Post('v1/accounts')
  async create(@Body() body: CreateAccountCommand, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const { statement, response, location } = signup(body);
    await dataSource.query(statement.sql, [...statement.params]);
    res.status(201).setHeader('Location', location);
    res.setHeader('ETag', '"1"');
    res.setHeader('Cache-Control', 'no-store');
    return response;
  }

  @Get('health/ready')
  ready(): string {
    return 'ok';
  }
}

@Module({ controllers: [SignupFloorController] })
class SignupFloorModule {}

async function main(): Promise<void> {
  await dataSource.initialize();
  const app = await NestFactory.create(SignupFloorModule, { logger: ['error'] });
  app.enableShutdownHooks(['SIGTERM']);
  await app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
}

void main();
