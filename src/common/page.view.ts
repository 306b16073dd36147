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
