import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { Page } from './keyset';

/**
 * The OpenAPI shape of one page of a list, `{ items, nextCursor }`: every JSON list route answers
 * it. Extend it once per item type (`class ClientPageView extends PageView(ClientView) {}`) so
 * the document names the schema.
 */
export function PageView<T>(item: Type<T>): Type<Page<T>> {
  class PageOfItems implements Page<T> {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` to get the next page; null on the last page' })
    nextCursor: string | null;
  }
  // A name of its own per item type: @nestjs/swagger keys the schemas it walks by class name, and
  // ten base classes all called PageOfItems logged "Duplicate DTO detected" at every start.
  Object.defineProperty(PageOfItems, 'name', { value: `PageOf${item.name}` });
  return PageOfItems;
}

/** A JSON Schema (the subset fast-json-stringify compiles) for Fastify's response serializer. */
export type ResponseSchema = Record<string, unknown>;

/**
 * The Fastify response schema of one page (`@RouteSchema(pageResponseSchema(itemSchema))`): the
 * 200 answer is then written by fast-json-stringify, compiled once, instead of JSON.stringify.
 * The item schema must name every property the view has (others are not written).
 */
export function pageResponseSchema(item: ResponseSchema): { response: { 200: ResponseSchema } } {
  return {
    response: {
      200: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: { items: { type: 'array', items: item }, nextCursor: { type: ['string', 'null'] } },
      },
    },
  };
}
