import { ApiProperty } from '@nestjs/swagger';

export class SampleView {
  @ApiProperty() recordedAt: string;
  @ApiProperty({ nullable: true, type: Number }) radon: number | null;
  @ApiProperty({ nullable: true, type: Number }) co2: number | null;
  @ApiProperty({ nullable: true, type: Number }) voc: number | null;
  @ApiProperty({ nullable: true, type: Number }) temperature: number | null;
  @ApiProperty({ nullable: true, type: Number }) humidity: number | null;
  @ApiProperty({ nullable: true, type: Number }) pressure: number | null;
  @ApiProperty({ nullable: true, type: Number }) battery: number | null;
}
