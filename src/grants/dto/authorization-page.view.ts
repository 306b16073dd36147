import { PageView } from '../../common/page.view';
import { AuthorizationView } from './authorization.view';

export class AuthorizationPageView extends PageView(AuthorizationView) {}
