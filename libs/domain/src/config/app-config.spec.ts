import { ConfigError, loadConfig } from './app-config';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_SECRET: 'a'.repeat(40),
};

describe('loadConfig', () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig(base);
    expect(config.PORT).toBe(3000);
    expect(config.MIGRATIONS_RUN).toBe(true);
    expect(config.JWT_ACCESS_TTL_SECONDS).toBe(900);
    expect(config.DATABASE_POOL_SIZE).toBe(20);
  });

  it('reads the pool size as a number and refuses one out of range', () => {
    expect(loadConfig({ ...base, DATABASE_POOL_SIZE: '48' }).DATABASE_POOL_SIZE).toBe(48);
    for (const size of ['0', '501', 'many']) {
      expect(() => loadConfig({ ...base, DATABASE_POOL_SIZE: size })).toThrow(/DATABASE_POOL_SIZE/);
    }
  });

  it('keeps the sequencer interval short enough for a signed head at least every second', () => {
    expect(loadConfig({ ...base, SEQUENCER_INTERVAL_MS: '200' }).SEQUENCER_INTERVAL_MS).toBe(200);
    for (const interval of ['19', '201', '5000']) {
      expect(() => loadConfig({ ...base, SEQUENCER_INTERVAL_MS: interval })).toThrow(/SEQUENCER_INTERVAL_MS/);
    }
  });

  it('reads the usual words for a switch and refuses a misspelt one instead of reading it as off', () => {
    for (const on of ['1', 'true', 'YES', 'on'])
      expect(loadConfig({ ...base, MIGRATIONS_RUN: on }).MIGRATIONS_RUN).toBe(true);
    for (const off of ['0', 'false', 'No', 'off'])
      expect(loadConfig({ ...base, MIGRATIONS_RUN: off }).MIGRATIONS_RUN).toBe(false);
    for (const bad of ['ture', 'enabled', '2']) {
      expect(() => loadConfig({ ...base, MIGRATIONS_RUN: bad })).toThrow(/MIGRATIONS_RUN/);
    }
  });

  it('names each bad variable', () => {
    try {
      loadConfig({ ...base, PORT: 'abc', REDIS_URL: 'http://x' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('REDIS_URL');
    }
  });

  it('reports a missing variable as not set and never echoes a secret', () => {
    expect(() => loadConfig({ ...base, DATABASE_URL: undefined })).toThrow(/DATABASE_URL.*not set/);
    expect(() => loadConfig({ ...base, JWT_SECRET: 'short-secret' })).toThrow(ConfigError);
    try {
      loadConfig({ ...base, JWT_SECRET: 'short-secret' });
    } catch (error) {
      expect((error as Error).message).not.toContain('short-secret');
    }
  });

  it('never echoes a key, a URL or an address, and echoes a harmless value', () => {
    const bad = {
      ...base,
      LOG_SIGNING_KEY: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n',
      DATABASE_URL: 'postgresql+psycopg://app:S3cret-pw@db/x',
      BOOTSTRAP_OPERATOR_EMAIL: 'not-an-address-ivanov',
      LOG_LEVEL: 'loud',
    };
    let message = '';
    try {
      loadConfig(bad);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const name of ['LOG_SIGNING_KEY', 'DATABASE_URL', 'BOOTSTRAP_OPERATOR_EMAIL', 'LOG_LEVEL']) {
      expect(message).toContain(name);
    }
    for (const secret of ['b3BlbnNzaC1rZXktdjEAAAA', 'S3cret-pw', 'ivanov'])
      expect(message).not.toContain(secret);
    expect(message).toContain('"loud"');
  });

  it('requires the bootstrap operator email and password together', () => {
    expect(() => loadConfig({ ...base, BOOTSTRAP_OPERATOR_EMAIL: 'op@example.org' })).toThrow(/together/);
  });
});
