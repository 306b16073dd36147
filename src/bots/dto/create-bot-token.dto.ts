import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { CreatePersonalTokenDto } from '../../personal-tokens/dto/create-personal-token.dto';

/** JSON body of POST /account/bots/:id/tokens: a PAT's fields, with the bot-token expiry settings. */
export class CreateBotTokenDto extends CreatePersonalTokenDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    example: 90,
    description:
      'Days until the token expires (default BOT_TOKEN_DEFAULT_EXPIRY_DAYS, at most BOT_TOKEN_MAX_EXPIRY_DAYS); null = never, only where BOT_TOKEN_ALLOW_NEVER_EXPIRES',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  override expiresInDays?: number | null = undefined;
}
