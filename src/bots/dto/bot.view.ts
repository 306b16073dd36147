import { ApiProperty } from '@nestjs/swagger';

export class BotManagerView {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: string;
}

/** A bot user as the API shows it. */
export class BotView {
  @ApiProperty({ description: 'The bot user id (the `sub` of its tokens)' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ enum: ['bot'] }) kind: 'bot';
  @ApiProperty({ type: [String] }) roles: string[];
  @ApiProperty({ enum: ['active', 'disabled'] }) status: string;
  @ApiProperty({ nullable: true, type: String, description: 'The user id of its creator' }) createdBy: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: [BotManagerView] }) managers: BotManagerView[];
  @ApiProperty({ description: 'No active manager: only admins can manage it until one is assigned' }) unmanaged: boolean;
}
