import 'reflect-metadata';
import { testEnv } from './test-env';

Object.assign(process.env, testEnv());
