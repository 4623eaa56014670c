/**
 * `npm run cli -- <command>`: operator commands.
 *
 *   create-operator --email EMAIL [--name "Full Name"] [--city moscow]
 *       Creates the platform operator organisation (first time) and an operator user in it.
 *       The password is read from the OPERATOR_PASSWORD variable, or from standard input
 *       (asked for, hidden, on a terminal). It is never taken from the command line or the code.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { isEmail } from 'class-validator';
import {
  ConfigModule,
  DatabaseModule,
  DomainError,
  loadConfig,
  OrganizationsModule,
  OrganizationsService,
  RedisModule,
} from '@app/domain';
import { localEnv, say, stopStarted } from './lib/local-env';

const USAGE = 'usage: npm run cli -- create-operator --email EMAIL [--name "Full Name"] [--city CITY_CODE]';

async function readPassword(): Promise<string> {
  if (process.env.OPERATOR_PASSWORD) return process.env.OPERATOR_PASSWORD;
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stdout.write('Password (at least 12 characters): ');
    stdin.setRawMode(true);
  }
  return new Promise((resolve) => {
    let value = '';
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\n' || ch === '\r' || ch === '\u0004') {
          stdin.removeListener('data', onData);
          if (stdin.isTTY) {
            stdin.setRawMode(false);
            process.stdout.write('\n');
          }
          stdin.pause();
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        value += ch;
      }
    };
    stdin.on('data', onData);
    stdin.once('end', () => resolve(value));
  });
}

async function createOperator(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, city: { type: 'string' } },
  });
  if (!values.email) throw new Error(USAGE);
  if (!isEmail(values.email.trim())) throw new Error(`not an email address: ${values.email}`);
  // Taken exactly as typed, as the API takes a password: spaces are part of it.
  const password = await readPassword();
  if (password.length < 12) throw new Error('the password must be at least 12 characters');
  const config = loadConfig(await localEnv());

  @Module({ imports: [ConfigModule.forRoot(config), DatabaseModule, RedisModule, OrganizationsModule] })
  class CliModule {}

  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  try {
    const { user, created } = await app
      .get(OrganizationsService)
      .ensureOperator(
        { email: values.email, password, fullName: values.name ?? 'Platform operator' },
        values.city,
      );
    if (!created && user.role !== 'operator') {
      throw new Error(`${user.email} is a ${user.role}'s account, not an operator's; nothing changed`);
    }
    say(
      created ? `operator ${user.email} created` : `operator ${user.email} already exists; nothing changed`,
    );
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'create-operator') return createOperator(args);
  throw new Error(USAGE);
}

main()
  .catch((error: unknown) => {
    const message =
      error instanceof DomainError ? `${error.code}: ${error.message}` : (error as Error).message;
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  })
  .finally(() => void stopStarted());
