/**
 * Floor for bench/signups.ts: the sign-up statement behind NestJS and TypeORM's pool (as a named
 * prepared statement, like the service's), the service's own stack, with nothing of the service on it (no key,
 * validation, rate limit, back-pressure, telemetry or error mapping). HTTP_ADAPTER picks Nest's
 * HTTP platform: `express` (the service's) or `fastify`. PORT, DATABASE_URL, DATABASE_POOL_SIZE;
 * GET /health/ready answers 200 once listening.
 */
import 'reflect-metadata';
import { Body, Controller, Get, Module, Post, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { CreateAccountCommand } from '../accounts/create-account.service';
import { queryPrepared } from '../database/prepared-statement';
import { signup } from './signup-statement';

/** What Express's response and Fastify's reply both offer, chainable. */
interface Reply {
  status(code: number): Reply;
  header(name: string, value: string): Reply;
}

const dataSource = new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 16) });

@Controller()
class SignupFloorController {
  @Post('v1/accounts')
  async create(@Body() body: CreateAccountCommand, @Res({ passthrough: true }) reply: Reply): Promise<unknown> {
    const { statement, response, location } = signup(body);
    await queryPrepared(dataSource, statement);
    reply.status(201).header('Location', location).header('ETag', '"1"').header('Cache-Control', 'no-store');
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
  const options = { logger: ['error' as const] };
  const app = process.env.HTTP_ADAPTER === 'fastify' ? await NestFactory.create(SignupFloorModule, new FastifyAdapter(), options) : await NestFactory.create(SignupFloorModule, options);
  app.enableShutdownHooks(['SIGTERM']);
  await app.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
}

void main();
