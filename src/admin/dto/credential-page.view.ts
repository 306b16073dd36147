import { PageView } from '../../common/page.view';
import { CredentialView } from './credential.view';

export class CredentialPageView extends PageView(CredentialView) {}
