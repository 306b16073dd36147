import { PageView } from '../../../src/common/page.view';
import { AlertView } from './alert.view';

export class AlertPageView extends PageView(AlertView) {}
