import { Injectable } from '@nestjs/common';

/** Says why a person is asked to sign in, from the page they will return to; null when it has nothing to say. */
export type SignInHint = (returnPath: string) => Promise<string | null>;

/**
 * What the sign-in page says about where the person is going ("to continue to Sensor Sync").
 * Modules that send people to sign in register a hint; the first one that answers wins.
 */
@Injectable()
export class SignInHints {
  private readonly hints: SignInHint[] = [];

  register(hint: SignInHint): void {
    this.hints.push(hint);
  }

  async describe(returnPath: string): Promise<string | null> {
    for (const hint of this.hints) {
      const text = await hint(returnPath);
      if (text) return text;
    }
    return null;
  }
}
