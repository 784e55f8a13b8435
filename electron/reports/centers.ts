// The names of learning centers, for the dashboard's center filter and the printed profile: from what the server
// said this device is (its centers, with their names, at each connection). A center this device has not heard of
// is unknown, and the screens and the printout say "Learning center" instead.
import type { DeviceIdentity } from '../../shared/desktop';

export type CenterNames = (centerId: string | null) => string | null;

export const centerNamesOf =
  (identity: () => DeviceIdentity | null | undefined): CenterNames =>
  (centerId) =>
    (centerId === null ? undefined : identity()?.centers.find((center) => center.id === centerId)?.name) ?? null;
