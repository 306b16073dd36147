import { ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthError } from './errors/auth.errors';

/**
 * A request the global guard refused (401 or 403). `ctx` names the route (handler and
 * controller); `req.user` is set when the credential authenticated and a scope was missing.
 */
export interface AuthDenial {
  ctx: ExecutionContext;
  error: AuthError;
}

export type AuthDenialListener = (denial: AuthDenial) => Promise<void>;

/**
 * Who wants to hear about guard refusals (the audit module records them). The auth core
 * imports no feature module: listeners register themselves here. A listener must decide
 * cheaply whether the route concerns it and must never throw.
 */
@Injectable()
export class AuthDenialListeners {
  private readonly listeners: AuthDenialListener[] = [];

  register(listener: AuthDenialListener): void {
    this.listeners.push(listener);
  }

  async notify(denial: AuthDenial): Promise<void> {
    for (const listener of this.listeners) await listener(denial);
  }
}
