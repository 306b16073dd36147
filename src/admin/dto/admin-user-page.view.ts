import { ApiProperty } from '@nestjs/swagger';
import { AdminUserView } from './admin-user.view';

export class AdminUserPageView {
  @ApiProperty({ type: [AdminUserView] }) items: AdminUserView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` to get the next page; null on the last page' })
  nextCursor: string | null;
}
