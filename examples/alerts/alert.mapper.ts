import type { Alert } from './alert.entity';
import type { AlertView } from './dto/alert.view';

export function toAlertView(a: Alert): AlertView {
  return {
    id: a.id,
    deviceId: a.deviceId,
    metric: a.metric,
    threshold: a.threshold,
    enabled: a.enabled,
    createdAt: a.createdAt.toISOString(),
  };
}
