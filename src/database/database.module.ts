import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';

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
    }),
  ],
})
export class DatabaseModule {}
