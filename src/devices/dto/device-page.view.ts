import { PageView } from '../../common/page.view';
import { DeviceView } from './device.view';

export class DevicePageView extends PageView(DeviceView) {}
