/**
 * `npm run bench -- <scenario>`: benchmarks print figures beside a baseline measured in the same run,
 * and the ratio. They never fail on timing; they are not tests.
 */
import 'reflect-metadata';

const SCENARIOS: Record<string, () => Promise<{ run: (args: string[]) => Promise<void> }>> = {
  'auth-get': () => import('./scenarios/auth-get'),
  'catalogue-search': () => import('./scenarios/catalogue-search'),
  'bid-intake': () => import('./scenarios/bid-intake'),
  'closing-storm': () => import('./scenarios/closing-storm'),
  log: () => import('./scenarios/log'),
  'price-analytics': () => import('./scenarios/price-analytics'),
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const scenario = name ? SCENARIOS[name] : undefined;
  if (!scenario) {
    process.stderr.write(
      `usage: npm run bench -- <scenario> [options]\nscenarios: ${Object.keys(SCENARIOS).join(', ')}\n`,
    );
    process.exit(2);
  }
  await (await scenario()).run(args);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
