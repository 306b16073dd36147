import { ConflictException } from '@nestjs/common';

/** 409: the change would leave no active admin (disable, demote or delete the last one). */
export class LastAdminError extends ConflictException {
  constructor(email: string, change: string) {
    super(`${email} is the last active admin and cannot be ${change}. Make another user an admin first.`);
  }
}
