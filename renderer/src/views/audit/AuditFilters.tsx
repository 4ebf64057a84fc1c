import { Button, HTMLSelect, InputGroup, MenuItem, type Intent } from '@blueprintjs/core';
import { FilterRemoveIcon, SearchIcon } from '@blueprintjs/icons';
import { Suggest, type ItemRenderer } from '@blueprintjs/select';
import { useId, useMemo, useState, type FormEvent, type Ref } from 'react';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../../../../shared/audit/event';
import { EMPTY_FILTERS, filtersToQuery, type AuditFilterDraft, type AuditQueryFilters, type FilterProblem } from './auditModel';
import { suggestPeople, type KnownPerson, type People } from './auditNames';
import { DateTimeField } from '../../components/DateTimeField';
import { useShownTimeZone } from '../../platform/TimeZoneProvider';

const renderPerson: ItemRenderer<KnownPerson> = (person, { handleClick, handleFocus, modifiers, ref }) =>
  modifiers.matchesPredicate ? (
    <MenuItem
      key={person.userId}
      ref={ref}
      active={modifiers.active}
      roleStructure="listoption"
      text={person.name}
      label={person.email}
      title={person.userId}
      onClick={handleClick}
      onFocus={handleFocus}
      data-testid="audit-person-option"
    />
  ) : null;

/** Pick a person by name (or email) from the directory; typing clears the pick until one is chosen again. */
const PersonBox = ({ draft, people, intent, onChange }: { draft: AuditFilterDraft; people: People; intent: Intent; onChange(patch: Partial<AuditFilterDraft>): void }) => {
  const items = useMemo(() => [...people.values()], [people]);
  const selected = draft.personId ? (people.get(draft.personId) ?? null) : null;
  return (
    <Suggest<KnownPerson>
      items={items}
      query={draft.person}
      selectedItem={selected}
      onQueryChange={(person) => onChange({ person, personId: null })}
      onItemSelect={(p) => onChange({ person: p.name, personId: p.userId })}
      itemListPredicate={(query) => suggestPeople(query, people)}
      itemRenderer={renderPerson}
      inputValueRenderer={(p) => p.name}
      noResults={<MenuItem disabled roleStructure="listoption" text={people.size === 0 ? 'No names loaded for this log' : 'No one by that name'} />}
      resetOnQuery={false}
      popoverProps={{ minimal: true, matchTargetWidth: false }}
      inputProps={{ size: 'small', placeholder: 'Person (name or email)', 'aria-label': 'Person', intent, className: 'attest-audit-person' }}
      fill={false}
    />
  );
};

interface FiltersProps {
  people: People;
  firstRef: Ref<HTMLInputElement>;
  onApply(query: AuditQueryFilters): void;
  /** A filter was refused: the view shows no rows rather than the previous filter's. */
  onRefuse(problem: FilterProblem): void;
}

/** The toolbar's filters: checked here first, each problem said beside the field it is about. */
export const AuditFilters = ({ people, firstRef, onApply, onRefuse }: FiltersProps) => {
  const [draft, setDraft] = useState<AuditFilterDraft>(EMPTY_FILTERS);
  const [problem, setProblem] = useState<FilterProblem | null>(null);
  const zone = useShownTimeZone();
  const problemId = useId();
  const patch = (p: Partial<AuditFilterDraft>) => setDraft((d) => ({ ...d, ...p }));
  const intentOf = (name: keyof AuditFilterDraft): Intent => (problem?.field === name ? 'danger' : 'none');
  const field = (name: 'from' | 'to' | 'action' | 'target') => ({
    value: draft[name],
    intent: intentOf(name),
    'aria-invalid': problem?.field === name,
    'aria-describedby': problem?.field === name ? problemId : undefined,
    onChange: (e: { target: { value: string } }) => patch({ [name]: e.target.value }),
  });
  const timeField = (name: 'from' | 'to') => ({ ...field(name), onChange: (text: string) => patch({ [name]: text }) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = filtersToQuery(draft, people, zone);
    if (checked.ok) {
      setProblem(null);
      onApply(checked.query);
    } else {
      setProblem({ field: checked.field, message: checked.message });
      onRefuse({ field: checked.field, message: checked.message });
    }
  };
  const clear = () => {
    setDraft(EMPTY_FILTERS);
    setProblem(null);
    onApply({});
  };
  return (
    <form className="attest-audit-filters" onSubmit={submit} aria-label="Filter audit events" data-testid="audit-filters">
      <DateTimeField size="small" aria-label="From (inclusive)" title="From (inclusive)" inputRef={firstRef} {...timeField('from')} />
      <DateTimeField size="small" aria-label="To (exclusive)" title="To (exclusive)" {...timeField('to')} />
      <PersonBox draft={draft} people={people} intent={intentOf('person')} onChange={patch} />
      <InputGroup size="small" placeholder="Action starts with, e.g. session." aria-label="Action starts with" title="Action starts with, e.g. session. or auth.login" {...field('action')} />
      <InputGroup size="small" placeholder="Target, or prefix like user:" aria-label="Target" {...field('target')} />
      <HTMLSelect
        aria-label="Outcome"
        value={draft.outcome}
        onChange={(e) => patch({ outcome: e.target.value as AuditOutcome | '' })}
        options={[{ value: '', label: 'Any outcome' }, ...AUDIT_OUTCOMES.map((o) => ({ value: o, label: o }))]}
      />
      <Button size="small" type="submit" icon={<SearchIcon />} text="Apply" data-testid="audit-apply" />
      <Button size="small" variant="minimal" icon={<FilterRemoveIcon />} aria-label="Clear filters" title="Clear filters" onClick={clear} />
      {problem && (
        <span className="attest-filter-problem" role="alert" id={problemId} data-testid="audit-filter-problem">
          {problem.message}
        </span>
      )}
    </form>
  );
};
