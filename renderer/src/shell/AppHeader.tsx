import { Navbar, NavbarGroup, NavbarHeading } from '@blueprintjs/core';
import { EndorsedIcon } from '@blueprintjs/icons';
import { UserMenu } from '../auth/UserMenu';
import { ConnectionIndicator } from './ConnectionIndicator';

export const AppHeader = () => (
  <Navbar className="attest-header">
    <NavbarGroup align="start">
      <NavbarHeading className="attest-brand">
        <EndorsedIcon className="attest-brand-icon" />
        <span className="attest-brand-name">Attest</span>
        <span className="attest-brand-tagline">Compliance console</span>
      </NavbarHeading>
    </NavbarGroup>
    <NavbarGroup align="end">
      <ConnectionIndicator />
      <UserMenu />
    </NavbarGroup>
  </Navbar>
);
