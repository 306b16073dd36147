import { ApiProperty } from '@nestjs/swagger';

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
