import { HttpException } from '@nestjs/common';
import type { RenderableError, RenderedError } from '../common/renderable-error';

/** Where a JSON client re-authenticates (POST, same session): docs/mfa.md#step-up-sudo-mode. */
export const STEP_UP_URL = '/step-up';
/** Where the page's script (or a JSON client) gets the passkey ceremony's options before re-authenticating with a passkey (POST). */
export const STEP_UP_PASSKEY_OPTIONS_URL = `${STEP_UP_URL}/passkey/options`;

/** What the re-authentication page shows: the action to resume, the ways this user can confirm, the carried form. */
export interface StepUpPage {
  /** Where the page's forms post: the refused action itself (its form data rides sealed in `carry`), or POST /step-up. */
  action: string;
  /** The refused form's fields, sealed and bound to this session (absent for a GET return path). */
  carry?: string;
  /** A GET return path (POST /step-up only). */
  returnTo?: string;
  csrf: string;
  email: string;
  password: boolean;
  totp: boolean;
  /** The user has a passkey: the page offers "Use a passkey" (WebAuthn, with script; the other forms work without). */
  passkey: boolean;
  /** Where the passkey form's script fetches PublicKeyCredentialRequestOptionsJSON. */
  passkeyOptionsUrl: string;
  windowMinutes: number;
  error?: string;
}

/**
 * A sensitive action refused until the session re-authenticates (or a re-authentication refused).
 * The exception filter renders it: a form post gets the re-authentication page (`views/step-up.hbs`)
 * with `status`; anything else `403 { error: "step_up_required", message, stepUpUrl, action }`.
 */
export class StepUpRequiredError extends HttpException implements RenderableError {
  private constructor(
    private readonly httpStatus: number,
    readonly code: string,
    message: string,
    private readonly page?: StepUpPage,
    private readonly action?: string,
    private readonly retryAfter?: number,
  ) {
    // An HttpException, so the audit interceptor records the refusal with its status (denied / failed).
    super(message, httpStatus);
  }

  /** A JSON (or other non-form) request: 403 naming where to re-authenticate and the action to name there. */
  static api(action: string): StepUpRequiredError {
    return new StepUpRequiredError(
      403,
      'step_up_required',
      `This action needs a recent authentication: POST ${STEP_UP_URL} with your password, a code or a passkey, then repeat it.`,
      undefined,
      action,
    );
  }

  /** A form post (or a refused re-authentication from the page): the page again, with `page.error` when set. */
  static page(status: number, page: StepUpPage, retryAfter?: number): StepUpRequiredError {
    return new StepUpRequiredError(status, 'step_up_required', page.error ?? 'Confirm access to continue', page, undefined, retryAfter);
  }

  render(requestId: string): RenderedError {
    const headers: Record<string, string> = {
      'cache-control': 'no-store',
      ...(this.retryAfter ? { 'retry-after': String(this.retryAfter) } : {}),
    };
    if (this.page)
      return {
        status: this.httpStatus,
        headers,
        body: undefined,
        view: { template: 'step-up.hbs', data: { title: 'Confirm access', ...this.page } },
      };
    return {
      status: this.httpStatus,
      headers,
      body: {
        statusCode: this.httpStatus,
        error: this.code,
        message: this.message,
        stepUpUrl: STEP_UP_URL,
        action: this.action,
        requestId,
      },
    };
  }
}
