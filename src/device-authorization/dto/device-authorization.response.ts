import { ApiProperty } from '@nestjs/swagger';

/** The device authorization response (RFC 8628 §3.2). */
export class DeviceAuthorizationResponse {
  @ApiProperty({ example: 'ghdc_…', description: "The device's secret for polling the token endpoint; shown once" })
  device_code: string;

  @ApiProperty({ example: 'BCDF-GHJK', description: 'What the user types at verification_uri (case and dash do not matter)' })
  user_code: string;

  @ApiProperty({ example: 'https://gatehouse.example/device' })
  verification_uri: string;

  @ApiProperty({
    example: 'https://gatehouse.example/device?user_code=BCDF-GHJK',
    description: 'Pre-fills the code; the user still confirms it (§5.4)',
  })
  verification_uri_complete: string;

  @ApiProperty({ description: 'Seconds until both codes expire' })
  expires_in: number;

  @ApiProperty({ description: 'Minimum seconds between polls of the token endpoint' })
  interval: number;
}
