import { PageView } from '../../common/page.view';
import { ImpersonationView } from './impersonation.view';

export class ImpersonationPageView extends PageView(ImpersonationView) {}
