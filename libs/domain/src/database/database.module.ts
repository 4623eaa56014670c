import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migrate';

/** The one PostgreSQL connection pool of a process; migrates at boot unless MIGRATIONS_RUN=false. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL, {}, config.DATABASE_POOL_SIZE),
        retryAttempts: 3,
        // Read by the factory below, which migrates under a lock instead of letting TypeORM do it unlocked.
        migrationsRun: config.MIGRATIONS_RUN,
      }),
      // Migrate before any provider can use the connection.
      dataSourceFactory: async (options) => {
        if (!options) throw new Error('database options missing');
        const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
        if (options.migrationsRun) await runMigrationsLocked(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
