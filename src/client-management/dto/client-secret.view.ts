import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ClientView } from './client.view';

/** Returned once, at creation or rotation: the only time the secret is shown. */
export class ClientSecretView {
  @ApiProperty() clientId: string;
  @ApiProperty({ description: 'Shown once; store it now' }) clientSecret: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When the previous secrets stop working' })
  previousSecretsExpireAt?: string | null;
}

export class CreatedClientView extends ClientView {
  @ApiPropertyOptional({ description: 'Confidential clients only; shown once' }) clientSecret?: string;
}
