import type { AuditActor } from '../../../../shared/audit/event';
import { PLATFORM_AUDIT_LOG } from '../../../../shared/ipc/audit';
import type { SectionId } from '../../shell/sectionIds';

/** A person the console knows by name: from the member lists it loaded (or their offline copy). */
export interface KnownPerson {
  readonly userId: string;
  readonly name: string;
  readonly email: string;
}

export type People = ReadonlyMap<string, KnownPerson>;
export type TenantNames = ReadonlyMap<string, string>;

/** Where a name leads: a view that shows the thing (the person page comes with the people work). */
export interface NameLink {
  readonly section: Extract<SectionId, 'sessions' | 'incidents' | 'tenants'>;
  readonly id: string;
  /** The tenant whose view shows it (a session: the log's tenant; the Sessions view lists one tenant at a time). */
  readonly tenantId?: string;
}

/** What a cell shows: a name (or what kind of unknown), the id for the hover, and a link where a view exists. */
export interface Named {
  readonly label: string;
  readonly title: string;
  readonly known: boolean;
  readonly link?: NameLink;
  /** A person the directory knows: the cell opens their person page. */
  readonly personId?: string;
}

const ACTOR_KINDS: Record<AuditActor['type'], string> = { user: 'person', operator: 'operator', system: 'system', anonymous: 'anonymous' };

const person = (id: string, people: People, prefix = ''): Named => {
  const found = people.get(id);
  return found
    ? { label: `${prefix}${found.name}`, title: `${found.email} · ${id}`, known: true, personId: id }
    : { label: `${prefix}unknown person`, title: id, known: false };
};

/** The actor by name: people from the directory; the system and anonymous callers by what they are. */
export const nameActor = (actor: AuditActor, people: People): Named => {
  if (actor.type === 'user' || actor.type === 'operator') {
    const named = person(actor.id, people);
    if (named.known || actor.type === 'user') return named;
    return { label: 'operator token', title: actor.id, known: false };
  }
  return { label: ACTOR_KINDS[actor.type], title: actor.id, known: true };
};

const KIND_LABELS: Record<string, string> = {
  session: 'session',
  incident: 'incident',
  api_token: 'API token',
  approval: 'approval',
  access_review: 'access review',
  audit_event: 'audit event',
  audit_log: 'audit log',
  posture_snapshot: 'posture snapshot',
  operator_token: 'operator token',
};

const LINKED: Record<string, NameLink['section']> = { session: 'sessions', incident: 'incidents', tenant: 'tenants' };

/** Where a target of kind `section` in the log `logId` opens; none for a session in the platform's log (staff sessions are no tenant's list). */
const linkTo = (section: NameLink['section'] | undefined, id: string, logId: string): NameLink | undefined => {
  if (section !== 'sessions') return section && { section, id };
  return logId === PLATFORM_AUDIT_LOG ? undefined : { section, id, tenantId: logId };
};

/**
 * `kind:id` as a reader wants it: people and tenants by name, other things by kind and a short id, the full target on hover.
 * `logId` is the log the event is in (its tenant, or the platform's): a session link opens that tenant's Sessions.
 */
export const nameTarget = (target: string, people: People, tenants: TenantNames, logId: string): Named => {
  const colon = target.indexOf(':');
  if (colon <= 0) return { label: target, title: target, known: true };
  const kind = target.slice(0, colon);
  const id = target.slice(colon + 1);
  if (kind === 'user' || kind === 'operator') {
    const named = person(id, people);
    return { ...named, title: `${named.title} (${target})` };
  }
  if (kind === 'tenant') {
    const name = tenants.get(id);
    return name
      ? { label: `tenant ${name}`, title: target, known: true, link: { section: 'tenants', id } }
      : { label: 'unknown tenant', title: target, known: false };
  }
  const link = linkTo(LINKED[kind], id, logId);
  return { label: `${KIND_LABELS[kind] ?? kind.replace(/_/g, ' ')} ${id.slice(0, 8)}`, title: target, known: true, ...(link && { link }) };
};

/** People whose name or email contains every word typed, best first: name starts, then the rest, by name. */
export const suggestPeople = (query: string, people: People, limit = 8): KnownPerson[] => {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const hits = [...people.values()].filter((p) => {
    const text = `${p.name} ${p.email}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const first = words[0]!;
  const rank = (p: KnownPerson) => (p.name.toLowerCase().startsWith(first) ? 0 : 1);
  return hits.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name)).slice(0, limit);
};

/** The person typed text names exactly (by name or email, any case), or null when none or several do. */
export const personNamed = (text: string, people: People): KnownPerson | null => {
  const wanted = text.trim().toLowerCase();
  const found = [...people.values()].filter((p) => p.name.toLowerCase() === wanted || p.email.toLowerCase() === wanted);
  return found.length === 1 ? found[0]! : null;
};
