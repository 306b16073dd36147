import { ADMIN_SCOPE } from './users.scopes';

/** Every admin API route: deny by default, `admin` required, Bearer or cookie. */
export const ADMIN_API = { scopes: [ADMIN_SCOPE] } as const;

/** Every admin page: `admin` required, browser session only, unauthenticated → sign-in page. */
export const ADMIN_PAGE = { scopes: [ADMIN_SCOPE], schemes: ['cookie'], page: true } as const;
