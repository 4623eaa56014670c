// Two projects: unit specs beside the code, end-to-end specs in test/ against real PostgreSQL and Redis.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const moduleNameMapper = {
  '^@app/domain$': '<rootDir>/libs/domain/src',
  '^@app/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
  '^@app/catalog$': '<rootDir>/libs/catalog/src',
  '^@app/catalog/(.*)$': '<rootDir>/libs/catalog/src/$1',
};
const common = { rootDir: __dirname, transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node' };

module.exports = {
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
  // End-to-end flows wait for real deadlines and stand-stills (seconds); polling helpers bound each wait.
  testTimeout: 60000,
  rootDir: __dirname,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      setupFiles: ['<rootDir>/test/setup/env.ts'],
      slowTestThreshold: 30,
    },
  ],
};
