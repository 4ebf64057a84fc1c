import { Button, Classes, Menu, MenuDivider, MenuItem, PopoverNext } from '@blueprintjs/core';
import { BlankIcon, EnvelopeIcon, LogOutIcon, SwapHorizontalIcon, TickIcon, UserIcon } from '@blueprintjs/icons';
import { useServiceStore } from '../connect/serviceStore';
import { useState } from 'react';
import { useTenantsStore } from '../views/tenants/tenantsStore';
import { AcceptInviteDialog } from './AcceptInviteDialog';
import { useAuthStore } from './authStore';
import { roleLabel } from './grants';
import { DateTime } from '../components/DateTime';
import { useTimeZone } from '../platform/timeZoneStore';

/** Who is signed in, their role where they are looking, and the way out. */
export const UserMenu = () => {
  const state = useAuthStore((s) => s.state);
  const busy = useAuthStore((s) => s.busy);
  const logout = useAuthStore((s) => s.logout);
  const selectedTenant = useTenantsStore((s) => s.selectedId);
  const [accepting, setAccepting] = useState(false);
  const zone = useTimeZone((s) => s.zone);
  const setZone = useTimeZone((s) => s.setZone);
  const chooseAnother = useServiceStore((s) => s.chooseAnother);
  const service = useServiceStore((s) => (s.setup?.configured ? s.setup.service : null));
  if (state?.step !== 'signed_in') return null;
  const { me } = state;
  const role = roleLabel(me, selectedTenant);
  const name = me.user.displayName || me.user.email;

  const menu = (
    <Menu className="attest-user-menu" data-testid="user-menu-panel">
      <li className="attest-user-card">
        <strong data-testid="user-name">{name}</strong>
        <span className={Classes.TEXT_MUTED} data-testid="user-email">
          {me.user.email}
        </span>
        <span data-testid="user-role-detail">{role}</span>
        <span className={Classes.TEXT_MUTED}>
          Session until <DateTime value={me.session.absoluteExpiresAt} /> at most
          {me.mfa.enrolled ? ` · ${me.mfa.recoveryCodesRemaining} recovery codes left` : ''}
        </span>
        {service && (
          <span className={Classes.TEXT_MUTED} data-testid="user-service">
            Service: {service.label ?? service.host}
          </span>
        )}
      </li>
      <MenuDivider />
      <MenuItem
        icon={zone === 'utc' ? <TickIcon /> : <BlankIcon />}
        text="Show times in UTC"
        title="Every time in the console in UTC instead of this computer's time zone (this desk only)"
        aria-checked={zone === 'utc'}
        roleStructure="menuitem"
        shouldDismissPopover={false}
        onClick={() => setZone(zone === 'utc' ? 'local' : 'utc')}
        data-testid="time-zone-utc"
      />
      <MenuItem icon={<EnvelopeIcon />} text="Accept invitation…" onClick={() => setAccepting(true)} data-testid="accept-invitation" />
      <MenuItem icon={<SwapHorizontalIcon />} text="Connect to another service…" onClick={chooseAnother} data-testid="connect-another-service" />
      <MenuItem icon={<LogOutIcon />} text="Sign out" onClick={() => void logout()} disabled={busy} data-testid="sign-out" />
    </Menu>
  );

  return (
    <>
    <PopoverNext content={menu} placement="bottom-end">
      <Button
        variant="minimal"
        size="small"
        icon={<UserIcon />}
        className="attest-user-button"
        data-testid="user-menu"
        // Named by what it shows (WCAG 2.5.3, label in name); the title says what it opens.
        title="Account menu"
      >
        <span className="attest-user-name">{name}</span>{' '}
        <span className="attest-user-role" data-testid="user-role">
          {role}
        </span>
      </Button>
    </PopoverNext>
    <AcceptInviteDialog isOpen={accepting} onClose={() => setAccepting(false)} />
    </>
  );
};
