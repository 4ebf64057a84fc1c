import { DisableIcon, MoreIcon, TickIcon, WarningSignIcon } from '@blueprintjs/icons';

// Icons in table cells are constant elements: React skips a constant element when a scrolled
// row is refilled, instead of rendering the icon component again on every frame of a scroll.
export const REVOKE_ICON = <DisableIcon />;
export const MORE_ICON = <MoreIcon />;
export const EXPECTED_ICON = <TickIcon />;
export const SUSPICIOUS_ICON = <WarningSignIcon />;
