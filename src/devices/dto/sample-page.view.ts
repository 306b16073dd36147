import { PageView } from '../../common/page.view';
import { SampleView } from './sample.view';

export class SamplePageView extends PageView(SampleView) {}
