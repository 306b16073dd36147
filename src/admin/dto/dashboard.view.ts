import { ApiProperty } from '@nestjs/swagger';

export class DashboardUsersView {
  @ApiProperty() total: number;
  @ApiProperty() active: number;
  @ApiProperty() disabled: number;
  @ApiProperty() activeAdmins: number;
}

export class DashboardSignInsView {
  @ApiProperty() succeeded: number;
  @ApiProperty({ description: 'Wrong credentials, disabled accounts and rate-limited attempts' }) failed: number;
}

export class DashboardView {
  @ApiProperty() generatedAt: string;
  @ApiProperty({ type: DashboardUsersView }) users: DashboardUsersView;
  @ApiProperty() clients: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Live credentials by kind' })
  liveTokens: Record<string, number>;
  @ApiProperty({ type: DashboardSignInsView, description: 'Over the last 24 hours' }) signInsLast24h: DashboardSignInsView;
}
