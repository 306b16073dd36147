import { PartialType } from '@nestjs/swagger';
import { CreateDeviceDto } from './create-device.dto';

/**
 * Every field may be left out; `null` is refused for a field CreateDeviceDto requires (its column is
 * NOT NULL) and clears one CreateDeviceDto marks optional (a nullable column).
 */
export class UpdateDeviceDto extends PartialType(CreateDeviceDto, { skipNullProperties: false }) {}
