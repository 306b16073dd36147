import { ApiProperty } from '@nestjs/swagger';

/** A token as lists show it: never the token itself, nor its hash. */
export class PersonalTokenView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'ghpat_…a1B2', description: 'The prefix and the last four characters' }) hint: string;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: never expires' }) expiresAt: string | null;
  @ApiProperty() expired: boolean;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastUsedIp: string | null;
}
