export * from './money';
export * from './ranking';
export * from './commitment';
export * from './working-calendar';
export * from './tender-state';
export * from './auction';
