export * from './domain-error';
export * from './common.errors';
