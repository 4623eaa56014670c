export * from './queues';
export * from './job-id';
