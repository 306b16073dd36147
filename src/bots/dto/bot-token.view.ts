import { ApiProperty } from '@nestjs/swagger';

/** A bot token as lists show it: never the token itself, nor its hash. */
export class BotTokenView {
  @ApiProperty() id: string;
  @ApiProperty() botId: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'ghbot_…a1B2', description: 'The prefix and the last four characters' }) hint: string;
  @ApiProperty({ type: [String], description: 'Granted; effective = these ∩ what the bot holds now' }) scopes: string[];
  @ApiProperty({ nullable: true, type: String, description: 'The user id of the person who created it' }) createdBy: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'null: never expires' }) expiresAt: string | null;
  @ApiProperty() expired: boolean;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastUsedIp: string | null;
}

/** The creation response: the only time the token is ever returned. */
export class CreatedBotTokenView extends BotTokenView {
  @ApiProperty({ example: 'ghbot_…', description: 'The token. Shown once; store it now.' }) token: string;
}
