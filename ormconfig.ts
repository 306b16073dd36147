import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { parseDatabaseUrl } from './src/config/app-config';
import { buildDataSourceOptions } from './src/database/data-source-options';

/** The DataSource used by the TypeORM CLI (`npm run migration:run`); the app builds the same options. */
export default new DataSource(buildDataSourceOptions(parseDatabaseUrl(process.env.DATABASE_URL)));
