import { PageView } from '../../common/page.view';
import { SessionView } from './session.view';

export class SessionPageView extends PageView(SessionView) {}
