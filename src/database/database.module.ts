import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { runMigrationsOnce } from './migrate-once';
import { GroupCommit } from './group-commit';
import { serializeSqliteTransactions } from './sqlite-transactions';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database, config.migrationsRun),
        entities: undefined,
        autoLoadEntities: true,
        // Fail start-up at once instead of retrying for minutes against a wrong URL.
        retryAttempts: 0,
      }),
      // Migrations run here, under a lock that N instances starting together share, rather than
      // by TypeORM inside initialize().
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource({ ...options!, migrationsRun: false } as DataSourceOptions).initialize();
        if (options!.migrationsRun) await runMigrationsOnce(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    serializeSqliteTransactions(this.dataSource);
    GroupCommit.configure(this.dataSource, this.config.groupCommitMs);
  }
}
