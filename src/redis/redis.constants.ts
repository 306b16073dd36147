/** Injection token for the shared ioredis client: `Redis` when REDIS_URL is set, else `null`. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
