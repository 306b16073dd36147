import { PageView } from '../../common/page.view';
import { PersonalTokenView } from './personal-token.view';

export class PersonalTokenPageView extends PageView(PersonalTokenView) {}
