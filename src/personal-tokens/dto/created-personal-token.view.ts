import { ApiProperty } from '@nestjs/swagger';
import { PersonalTokenView } from './personal-token.view';

/** The creation response: the only time the token is ever returned. */
export class CreatedPersonalTokenView extends PersonalTokenView {
  @ApiProperty({ example: 'ghpat_…', description: 'The token. Shown once; store it now.' }) token: string;
}
