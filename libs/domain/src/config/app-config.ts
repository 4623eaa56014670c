import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && value !== '' ? Number(value) : value;
/** Known words become booleans; anything else stays as written, for IsBoolean to refuse ("ture" is not false). */
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const word = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(word)) return true;
  if (['0', 'false', 'no', 'off'].includes(word)) return false;
  return value;
};

/** URLs in settings: http(s) only; `localhost` is allowed (no top-level domain needed). */
const OCDS_URL = { protocols: ['http', 'https'], require_protocol: true, require_tld: false };

/** Thrown at boot when the environment does not describe a runnable marketplace. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Every setting of the marketplace and the worker, read once from the environment and validated.
 * Nothing else in the code base reads process.env.
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string;

  /**
   * Connections of each process's main pool (the API's catalogue search has 8 more of its own). With several API
   * processes, each has its pool: processes x pool must stay within PostgreSQL's max_connections.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  DATABASE_POOL_SIZE = 20;

  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL: string;

  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET: string;

  @Transform(toInt)
  @IsInt()
  @Min(30)
  @Max(86400)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  REFRESH_TOKEN_TTL_DAYS = 30;

  /**
   * Seconds after a refresh token's rotation in which the same token, presented again, gets the same new token
   * (two tabs refreshing at once) instead of ending the session as a stolen token would; only while that new
   * token is unused. 0: any second use ends the session.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(300)
  REFRESH_REUSE_GRACE_SECONDS = 20;

  /** Hours a password reset an operator issues stays usable. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(168)
  PASSWORD_RESET_TTL_HOURS = 24;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_MAX_FAILURES = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  LOGIN_THROTTLE_WINDOW_SECONDS = 900;

  /** Self-registrations per client address (an IPv6 client by its /64) and hour. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  REGISTRATIONS_PER_HOUR = 20;

  /** Uses of password reset tokens per client address (an IPv6 client by its /64) and hour, failed ones included. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100000)
  PASSWORD_RESETS_PER_HOUR = 20;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBool)
  @IsBoolean()
  MIGRATIONS_RUN = true;

  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: 'QUEUE_PREFIX must be 1-40 letters, digits, _ or -' })
  QUEUE_PREFIX = 'mtp';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_METRICS_PORT = 9464;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(300)
  WORKER_HEARTBEAT_SECONDS = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600000)
  SHUTDOWN_GRACE_MS = 10000;

  /**
   * API processes sharing the port (node:cluster): one Node process runs JavaScript on one core. 0: one per CPU.
   * Each process keeps its own caches (LOG_TREE_CACHE_MB, LOG_PAGE_CACHE_MB are per process). One by default:
   * on two cores shared with PostgreSQL and the worker, a second process gained about 15% on writes but lost
   * on the light, cached reads (proofs, log pages) that a single process serves from one warm cache.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(64)
  API_PROCESSES = 1;

  @Matches(/^ocds-[a-z0-9]{6}$/, {
    message: 'OCDS_PREFIX must be "ocds-" and six lowercase letters or digits',
  })
  OCDS_PREFIX = 'ocds-mtp001';

  /** The publisher named in every OCDS package. */
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  OCDS_PUBLISHER_NAME = 'Intercity procurement marketplace';

  /** The licence of the open data (its canonical URI). */
  @IsUrl(OCDS_URL, { message: 'OCDS_LICENSE must be an http(s) URL' })
  OCDS_LICENSE = 'https://creativecommons.org/licenses/by/4.0/';

  /** Where the publication policy is described; packages omit it when unset. */
  @IsOptional()
  @IsUrl(OCDS_URL, { message: 'OCDS_PUBLICATION_POLICY must be an http(s) URL' })
  OCDS_PUBLICATION_POLICY?: string;

  /** Public URL of the OCDS endpoints, used in package URIs, links and record release links. */
  @IsUrl(OCDS_URL, { message: 'OCDS_PUBLIC_URL must be an http(s) URL' })
  OCDS_PUBLIC_URL = 'http://localhost:3000/api/v1/ocds';

  /** Directory of the worker's daily bulk files (`releases-YYYY-MM-DD.jsonl`). */
  @IsString()
  @MinLength(1)
  OCDS_EXPORT_DIR = '.data/ocds';

  /** Stand-still after an award is accepted, before the contract may be signed (10 days). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(90 * 86400)
  STANDSTILL_SECONDS = 10 * 86400;

  /**
   * An electronic auction's round: it runs this long after the opening at the deadline, and every new price moves
   * its end to at least this long after it (ten minutes in Russian practice).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86400)
  AUCTION_ROUND_SECONDS = 600;

  /** An amendment of terms with fewer days than this left must extend the deadline to at least this. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  AMENDMENT_MIN_DAYS_LEFT = 3;

  /** How often the worker sweeps the database for overdue closings (backs up the delayed jobs). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(300)
  CLOSING_SWEEP_SECONDS = 5;

  /** How often the worker sweeps for tenders whose red flags are older than their last deal event. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  ANALYTICS_SWEEP_SECONDS = 10;

  /** Minimum submission period of an open tender, in working days of the buyer's country. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(120)
  OPEN_TENDER_MIN_WORKING_DAYS = 7;

  /** Shortest submission period of a quotation session, in hours from its publication. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(72)
  QUOTATION_MIN_HOURS = 4;

  /** Longest submission period of a quotation session, in hours: a short request, not a tender. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(240)
  QUOTATION_MAX_HOURS = 72;

  /** When set, replaces every method's minimum submission period (seconds): for tests and demos only. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  TENDER_MIN_PERIOD_SECONDS?: number;

  /** Ed25519 private key (PEM) signing tree heads; when unset it is read from, or created in, LOG_SIGNING_KEY_FILE. */
  @IsOptional()
  @Matches(/-----BEGIN PRIVATE KEY-----/, { message: 'LOG_SIGNING_KEY must be a PKCS#8 PEM private key' })
  LOG_SIGNING_KEY?: string;

  @IsString()
  LOG_SIGNING_KEY_FILE = '.data/log-signing-key.pem';

  /**
   * Memory the API may keep the log's tree in (perfect nodes, about 64 bytes an entry), so that proofs need no
   * query; past it, the lowest levels come from the database. 0 keeps none.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65536)
  LOG_TREE_CACHE_MB = 256;

  /**
   * Memory the API may keep full log pages in, as the bytes it sends (about 270 KB a page of 1,000 entries).
   * Full pages never change and every verifier downloads all of them, so pages are kept as they are first served
   * until this is used up, and none is dropped. 0 keeps none.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65536)
  LOG_PAGE_CACHE_MB = 256;

  /**
   * How often the sequencer looks for newly committed deal events. At most 200 ms: an idle log's head is signed
   * again on the first tick after HEAD_REFRESH_MS (800 ms), and must never be more than a second old.
   */
  @Transform(toInt)
  @IsInt()
  @Min(20)
  @Max(200)
  SEQUENCER_INTERVAL_MS = 200;

  @IsOptional()
  @IsEmail({}, { message: 'BOOTSTRAP_OPERATOR_EMAIL must be an email address' })
  BOOTSTRAP_OPERATOR_EMAIL?: string;

  @IsOptional()
  @IsString()
  @MinLength(12, { message: 'BOOTSTRAP_OPERATOR_PASSWORD must be at least 12 characters' })
  @MaxLength(256)
  BOOTSTRAP_OPERATOR_PASSWORD?: string;

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }
}

/** Every variable the configuration reads (defaults included, optional and required ones too). */
const CONFIG_KEYS = [
  ...Object.keys(new AppConfig()),
  'DATABASE_URL',
  'REDIS_URL',
  'JWT_SECRET',
  'BOOTSTRAP_OPERATOR_EMAIL',
  'BOOTSTRAP_OPERATOR_PASSWORD',
  'TENDER_MIN_PERIOD_SECONDS',
  'LOG_SIGNING_KEY',
  'OCDS_PUBLICATION_POLICY',
];

/**
 * Variables whose value is never echoed in a configuration error: secrets, keys, and URLs or addresses that can
 * carry credentials or personal data (a signing key in the wrong format would otherwise land in the logs).
 */
const MAY_HOLD_A_SECRET = /SECRET|PASSWORD|KEY|URL|EMAIL/;

/** Reads and validates the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const relevant: Record<string, string> = {};
  for (const key of CONFIG_KEYS) {
    const value = env[key];
    if (value !== undefined && value !== '') relevant[key] = value;
  }
  const config = plainToInstance(AppConfig, relevant);
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const problems = errors.map((e) => {
      const messages = Object.values(e.constraints ?? {});
      const value = MAY_HOLD_A_SECRET.test(e.property) ? '' : ` (got ${JSON.stringify(e.value)})`;
      return `${e.property}: ${messages.join('; ')}${e.value === undefined ? ' (not set)' : value}`;
    });
    throw new ConfigError(problems);
  }
  if (!!config.BOOTSTRAP_OPERATOR_EMAIL !== !!config.BOOTSTRAP_OPERATOR_PASSWORD) {
    throw new ConfigError(['BOOTSTRAP_OPERATOR_EMAIL and BOOTSTRAP_OPERATOR_PASSWORD must be set together']);
  }
  if (config.QUOTATION_MIN_HOURS > config.QUOTATION_MAX_HOURS) {
    throw new ConfigError([
      `QUOTATION_MIN_HOURS (${config.QUOTATION_MIN_HOURS}) must not exceed QUOTATION_MAX_HOURS (${config.QUOTATION_MAX_HOURS})`,
    ]);
  }
  return config;
}

/** For a process's main(): the configuration, or a message naming every bad variable and exit code 78 (EX_CONFIG). */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}
