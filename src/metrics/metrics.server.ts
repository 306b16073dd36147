import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { registry } from './metrics';

/**
 * `GET /metrics` (Prometheus text format) on its own listener, METRICS_PORT on METRICS_HOST
 * (127.0.0.1 by default): never on the public port, so no credential and no route guard is
 * involved, and the public port has no /metrics at all. Unset METRICS_PORT: not started.
 * Only the HTTP server starts it (not the CLI).
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private server?: Server;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Where it listens (tests use port 0), or null when not started. */
  get url(): string | null {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    return addr ? `http://${addr.address.includes(':') ? `[${addr.address}]` : addr.address}:${addr.port}` : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.metrics || !this.adapterHost.httpAdapter) return;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
        return;
      }
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text),
        (err: unknown) => {
          this.logger.error(`Collecting metrics failed: ${err instanceof Error ? err.message : String(err)}`);
          res.writeHead(500).end();
        },
      );
    });
    const { port, host } = this.config.metrics;
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    this.server = server;
    this.logger.log(`Metrics on ${this.url}/metrics`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
