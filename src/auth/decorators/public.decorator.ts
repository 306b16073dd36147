import { SetMetadata } from '@nestjs/common';
import { ROUTE_AUTH, RouteAuth } from '../route-auth';

/** The only way out of the global guard: the route needs no credential. */
export const Public = () => SetMetadata<string, RouteAuth>(ROUTE_AUTH, { public: true });
