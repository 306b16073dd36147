import { Global, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { credentialsAuthenticated, httpDuration, httpRequests, sources } from './metrics';
import { MetricsServer } from './metrics.server';

interface MysqlPool {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/** Prometheus metrics (src/metrics/metrics.ts): request series from a Fastify hook, pool state (the Redis module reports Redis's). */
@Global()
@Module({ providers: [MetricsServer], exports: [MetricsServer] })
export class MetricsModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    sources.dbPool = () => {
      // mysql2's pool keeps these arrays; there is no public accessor.
      const pool = (this.dataSource.driver as unknown as { pool?: MysqlPool }).pool;
      if (!pool?._allConnections) return null;
      return { total: pool._allConnections.length, free: pool._freeConnections?.length ?? 0, queued: pool._connectionQueue?.length ?? 0 };
    };

    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // the CLI: no HTTP
    fastify.addHook('onResponse', (req, reply, done) => {
      // The route template (`/devices/:id`), never the URL: bounded labels, no ids or tokens.
      const labels = { method: req.method, route: req.routeOptions?.url ?? 'unmatched', status: String(reply.statusCode) };
      httpRequests.inc(labels);
      httpDuration.observe(labels, reply.elapsedTime / 1000);
      const principal = (req as FastifyRequest & { user?: Principal }).user;
      if (principal?.credential) credentialsAuthenticated.inc({ kind: principal.credential.kind });
      done();
    });
  }
}
