import passport from 'passport';

/** What Passport calls on the per-request strategy object (passport/lib/middleware/authenticate.js). */
interface StrategyActions {
  success(user: unknown, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  error(err: unknown): void;
  pass(): void;
  redirect(url: string, status?: number): void;
}

interface Attempt extends StrategyActions {
  authenticate(req: unknown, options: object): void;
  done: (user: unknown) => void;
  reject: (err: unknown) => void;
}

const OPTIONS = Object.freeze({ session: false });

/**
 * Runs a registered Passport strategy on one request by Passport's own strategy protocol: a
 * per-request object whose prototype is the strategy, given the success/fail/error actions, then
 * `strategy.authenticate(req, options)`. Any Passport strategy (those a module registers with
 * `PassportStrategy(…)`) runs unchanged; what is left out is the per-request wrapping around it:
 * @nestjs/passport's AuthGuard options and promise, and `passport.authenticate`'s middleware closure,
 * its multi-strategy loop and the login helpers it adds to every request object (a new shape for
 * each Fastify request). Sessions are off (`session: false`), as in PassportModule.register.
 *
 * Resolves to the user, or `false` when the strategy fails (or passes); rejects with the
 * strategy's error (a typed AuthError thrown by `validate`, say).
 */
export class PassportStrategyRunner {
  /** Per strategy name: the prototype of its per-request attempts (the actions bound once). */
  private readonly prototypes = new Map<string, object>();

  run(name: string, req: unknown): Promise<unknown> {
    const proto = this.prototypes.get(name) ?? this.prototypeFor(name);
    return new Promise((resolve, reject) => {
      const attempt = Object.create(proto) as Attempt;
      attempt.done = resolve;
      attempt.reject = reject;
      try {
        attempt.authenticate(req, OPTIONS);
      } catch (err) {
        reject(err);
      }
    });
  }

  private prototypeFor(name: string): object {
    const strategy = (passport as unknown as { _strategy(name: string): object | undefined })._strategy(name);
    if (!strategy) throw new Error(`Unknown Passport strategy "${name}"`);
    const actions: StrategyActions & ThisType<Attempt> = {
      success(user) {
        this.done(user);
      },
      fail() {
        this.done(false);
      },
      error(err) {
        this.reject(err);
      },
      pass() {
        this.done(false);
      },
      redirect() {
        // No API strategy redirects; one that does is refused rather than followed.
        this.done(false);
      },
    };
    const proto = Object.assign(Object.create(strategy) as object, actions);
    this.prototypes.set(name, proto);
    return proto;
  }
}
