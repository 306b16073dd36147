import { PageView } from '../../common/page.view';
import { AuditEventView } from './audit-event.view';

export class AuditPageView extends PageView(AuditEventView) {}
