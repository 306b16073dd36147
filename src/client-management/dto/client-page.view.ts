import { PageView } from '../../common/page.view';
import { ClientView } from './client.view';

export class ClientPageView extends PageView(ClientView) {}
