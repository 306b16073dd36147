import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/** Contexts whose `log` lines are start-up chatter: one per module and per route. */
const STARTUP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * Nest's logger interface over the root pino logger, so framework and module logs
 * (`new Logger('Context')`) are the same JSON lines as the access log, with the same redaction.
 * Nest calls `error(message, stack?, context?)` and the others `(message, ...params, context?)`.
 */
export class PinoLoggerService implements LoggerService {
  constructor(private readonly root: Logger) {}

  /** Nest's start-up chatter (each module initialised, each route mapped) is debug, not info. */
  log(message: unknown, ...params: unknown[]): void {
    const context = params.at(-1);
    this.write(typeof context === 'string' && STARTUP_CONTEXTS.has(context) ? 'debug' : 'info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.root.isLevelEnabled(level)) return;
    const rest = [...params];
    const context = rest.length > 0 && typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const stack = level === 'error' && typeof rest[0] === 'string' ? (rest.shift() as string) : undefined;
    if (message instanceof Error) {
      this.root[level]({ context, err: message }, message.message);
    } else if (message !== null && typeof message === 'object') {
      this.root[level]({ context, ...(stack ? { stack } : {}), ...(message as Record<string, unknown>) });
    } else {
      this.root[level]({ context, ...(stack ? { stack } : {}) }, String(message));
    }
  }
}
