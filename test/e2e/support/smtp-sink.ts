import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  port: number;
  /** Raw messages received, in order. */
  messages: string[];
  close(): Promise<void>;
}

/**
 * A local SMTP server (smtp-server) that accepts every message after `delayMs` (a slow mail
 * server), on `port` (0: any free one). No TLS, no AUTH: the app's SMTP_URL is smtp://127.0.0.1:<port>.
 */
export function startSmtpSink(opts: { delayMs?: number; port?: number } = {}): Promise<SmtpSink> {
  const messages: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        setTimeout(() => {
          messages.push(Buffer.concat(chunks).toString('utf8'));
          callback();
        }, opts.delayMs ?? 0);
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      resolve({
        port: (server.server.address() as AddressInfo).port,
        messages,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
