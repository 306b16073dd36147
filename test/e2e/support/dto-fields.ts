import type { Type } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

// class-transformer's @Type() registry (for the item class of a nested field); its package
// exports no types for the CommonJS path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

/** One validated field of a DTO, as class-validator's metadata describes it. */
export interface DtoField {
  name: string;
  /** A conditional (IsOptional) skips validation for null: null is accepted as "none". */
  nullAccepted: boolean;
  /** Validated as a number (IsInt / IsNumber). */
  numeric: boolean;
  /** The names of its constraints (isInt, min, max, isString, …). */
  constraints: Set<string>;
  /** For a nested DTO field (ValidateNested): the item class. */
  nestedType?: Type;
}

/** Every validated field of `dto` (own and inherited), read from class-validator's metadata. */
export function dtoFields(dto: Type): DtoField[] {
  const metas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  const byName = new Map<string, typeof metas>();
  for (const m of metas) byName.set(m.propertyName, [...(byName.get(m.propertyName) ?? []), m]);
  return [...byName].map(([name, ms]) => {
    const conditions = ms.filter((m) => m.type === 'conditionalValidation');
    const constraints = new Set(ms.map((m) => m.name ?? m.type));
    const nested = ms.some((m) => m.type === 'nestedValidation');
    const typeFn = nested ? defaultMetadataStorage.findTypeMetadata(dto, name)?.typeFunction : undefined;
    return {
      name,
      nullAccepted: conditions.some((c) => (c.constraints[0] as (o: object, v: unknown) => boolean)({ [name]: null }, null) === false),
      numeric: constraints.has('isInt') || constraints.has('isNumber'),
      constraints,
      nestedType: typeFn ? (typeFn() as Type) : undefined,
    };
  });
}
