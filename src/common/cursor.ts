import { BadRequestException } from '@nestjs/common';

/**
 * Opaque keyset-pagination cursor: the (created_at, id) of the last row of the previous page.
 * Base64url JSON; it is not a secret, only opaque so that clients do not build it.
 */
export interface CursorPosition {
  t: string;
  id: string;
}

export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(JSON.stringify(pos)).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      parsed &&
      typeof parsed === 'object' &&
      typeof (parsed as CursorPosition).t === 'string' &&
      !Number.isNaN(Date.parse((parsed as CursorPosition).t)) &&
      typeof (parsed as CursorPosition).id === 'string'
    ) {
      return parsed as CursorPosition;
    }
  } catch {
    // fall through
  }
  throw new BadRequestException('cursor is not valid');
}
