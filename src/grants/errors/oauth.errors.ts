// Moved to src/auth/errors/oauth.errors.ts (clients and grants both throw them; issue 10).
// Kept only for branches written before the move; import from the new path.
export * from '../../auth/errors/oauth.errors';
