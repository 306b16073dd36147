import { PageView } from '../../common/page.view';
import { AdminUserView } from './admin-user.view';

export class AdminUserPageView extends PageView(AdminUserView) {}
