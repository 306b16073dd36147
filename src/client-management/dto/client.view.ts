import { ApiProperty } from '@nestjs/swagger';

/** A client as the API shows it (never a secret). */
export class ClientView {
  @ApiProperty() clientId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['confidential', 'public'] }) type: string;
  @ApiProperty({ type: [String] }) redirectUris: string[];
  @ApiProperty({ type: [String] }) grantTypes: string[];
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty() ownerId: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: string;
  @ApiProperty() introspectionAllowed: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: [String], description: 'Redacted hints of the secrets that still work' }) secretHints: string[];
}
