import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';

/** Metadata key of {@link RequiresRecentAuthentication}; the step-up module binds its check to the routes carrying it. */
export const RECENT_AUTHENTICATION = 'gatehouse:recent-authentication';

/**
 * A sensitive action ("sudo mode", docs/mfa.md#step-up-sudo-mode): a browser session must have
 * authenticated within `SUDO_MODE_SECONDS` (`0`: for this very request), else a page gets the
 * re-authentication page (the form's data carried, sealed) and anything else a
 * `403 { error: "step_up_required", stepUpUrl, action }`. Bearer and Secret requests are not
 * subject to it (a token is already a credential minted by a signed-in session). Unsafe methods
 * only: the step-up module refuses to start when a GET carries it. The route-auth snapshot shows
 * it (` step-up`), so it cannot disappear unnoticed.
 */
export function RequiresRecentAuthentication() {
  return applyDecorators(
    SetMetadata(RECENT_AUTHENTICATION, true),
    ApiExtension('x-requires-recent-authentication', true),
    ApiForbiddenResponse({
      description: 'step_up_required: a browser session must re-authenticate first (POST /step-up), see docs/mfa.md#step-up-sudo-mode',
    }),
  );
}
