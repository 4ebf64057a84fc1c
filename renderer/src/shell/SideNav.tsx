import { Menu, MenuItem, Tag } from '@blueprintjs/core';
import type { KeyboardEvent } from 'react';
import { useNavigationStore } from './navigationStore';
import { modKeyLabel } from './platformKeys';
import { useVisibleSections } from './sections';
import { usePendingApprovals } from '../views/approvals/usePendingApprovals';

/** Up/Down (and Home/End) move focus between the sections, as in a desktop sidebar; Tab still works. */
const moveFocus = (event: KeyboardEvent<HTMLUListElement>) => {
  const buttons = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('button')];
  const index = buttons.findIndex((b) => b === document.activeElement);
  if (index === -1) return;
  const target = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: buttons.length - 1 }[event.key];
  if (target === undefined) return;
  event.preventDefault();
  buttons[Math.min(buttons.length - 1, Math.max(0, target))]?.focus();
};

export const SideNav = () => {
  const current = useNavigationStore((s) => s.section);
  const go = useNavigationStore((s) => s.go);
  const sections = useVisibleSections();
  const pending = usePendingApprovals();
  return (
    <nav className="attest-nav" aria-label="Sections">
      <Menu role="list" className="attest-nav-menu" onKeyDown={moveFocus}>
        {sections.map((section, index) => {
          const active = section.id === current;
          return (
            <MenuItem
              key={section.id}
              roleStructure="listitem"
              tagName="button"
              icon={section.icon}
              text={
                section.id === 'approvals' && pending > 0 ? (
                  <span className="attest-nav-with-badge">
                    {section.label}
                    <Tag round intent="warning" className="attest-nav-badge" data-testid="nav-approvals-badge" aria-label={`${pending} waiting for your decision`}>
                      {pending}
                    </Tag>
                  </span>
                ) : (
                  section.label
                )
              }
              active={active}
              aria-current={active ? 'page' : undefined}
              aria-keyshortcuts={`Control+${index + 1} Meta+${index + 1}`}
              labelElement={<span aria-hidden="true">{modKeyLabel(String(index + 1))}</span>}
              data-testid={`nav-${section.id}`}
              onClick={() => go(section.id)}
            />
          );
        })}
      </Menu>
    </nav>
  );
};
