import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { defineEnvironment, toInt } from '../config/environment-declaration';

export const USER_VERIFICATION_VALUES = ['preferred', 'required'] as const;
export type PasskeyUserVerification = (typeof USER_VERIFICATION_VALUES)[number];

/** The passkeys module's environment variables and their validation; the defaults are in `build` below. */
export class PasskeysEnvironment {
  /** How long a passkey ceremony (its challenge) stays usable. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3600)
  PASSKEYS_CHALLENGE_TIMEOUT_SECONDS?: number;

  /** WebAuthn `userVerification` for registration and sign-in. */
  @IsOptional()
  @IsIn(USER_VERIFICATION_VALUES)
  PASSKEYS_USER_VERIFICATION?: PasskeyUserVerification;

  /** The relying party's name shown by authenticators. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  PASSKEYS_RP_NAME?: string;
}

/**
 * Passkeys (WebAuthn, src/passkeys). The relying party id and the expected origin are not
 * configured here: they come from `PUBLIC_URL` (its host name and its origin).
 */
export const PASSKEYS_ENVIRONMENT = defineEnvironment({
  module: 'passkeys',
  schema: PasskeysEnvironment,
  rows: [
    {
      names: ['PASSKEYS_CHALLENGE_TIMEOUT_SECONDS'],
      default: '`300`',
      meaning:
        'how long a passkey registration or sign-in may take; an older response is refused (RP ID and origin come from `PUBLIC_URL`)',
    },
    {
      names: ['PASSKEYS_USER_VERIFICATION'],
      default: '`preferred`',
      meaning: 'WebAuthn user verification (PIN, biometrics) for passkeys: `preferred` or `required`',
    },
    {
      names: ['PASSKEYS_RP_NAME'],
      default: '`Gatehouse`',
      meaning: 'the name authenticators show for this site when a passkey is created',
    },
  ],
  build: (env, built) => {
    const url = new URL(built.publicUrl);
    return {
      passkeys: {
        challengeTimeoutMs: (env.PASSKEYS_CHALLENGE_TIMEOUT_SECONDS ?? 300) * 1000,
        userVerification: env.PASSKEYS_USER_VERIFICATION ?? 'preferred',
        rpName: env.PASSKEYS_RP_NAME ?? 'Gatehouse',
        rpId: url.hostname,
        origin: url.origin,
      },
    };
  },
});
