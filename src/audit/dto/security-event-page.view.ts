import { PageView } from '../../common/page.view';
import { SecurityEventView } from './security-event.view';

export class SecurityEventPageView extends PageView(SecurityEventView) {}
