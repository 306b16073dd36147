import { PageQuery } from '../../common/page.query';

/** `GET /admin/clients` and the admin clients page: keyset pages (`limit`, `cursor`). */
export class ListClientsQuery extends PageQuery {}
