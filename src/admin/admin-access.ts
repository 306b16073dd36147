// Moved to src/users/admin-access.ts (bots and impersonation use it too; importing admin/ from
// them made an import loop). Kept only for branches written before the move.
export * from '../users/admin-access';
