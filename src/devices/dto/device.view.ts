import { ApiProperty } from '@nestjs/swagger';
import type { ResponseSchema } from '../../common/page.view';

export class DeviceView {
  @ApiProperty() id: string;
  @ApiProperty() ownerId: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) model: string | null;
  @ApiProperty({ nullable: true, type: String }) serialNumber: string | null;
  @ApiProperty({ nullable: true, type: String }) location: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

const text = { type: 'string' };
const optionalText = { type: ['string', 'null'] };

/** DeviceView for Fastify's response serializer (every property of the class above). */
export const DEVICE_VIEW_SCHEMA: ResponseSchema = {
  type: 'object',
  required: ['id', 'ownerId', 'name', 'model', 'serialNumber', 'location', 'createdAt', 'updatedAt'],
  properties: {
    id: text,
    ownerId: text,
    name: text,
    model: optionalText,
    serialNumber: optionalText,
    location: optionalText,
    createdAt: text,
    updatedAt: text,
  },
};
