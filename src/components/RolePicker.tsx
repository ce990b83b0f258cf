import { TranslationBundle } from '@jupyterlab/translation';
import { InputGroup } from '@jupyterlab/ui-components';
import * as React from 'react';

import { useTrans } from '../i18n';
import { NbJobIamModel, RoleSource } from '../model';
import { matchRoles } from '../roles';
import { IRole } from '../tokens';
import { TextField } from './TextField';

function sourceText(
  source: RoleSource,
  trans: TranslationBundle
): string | null {
  switch (source) {
    case 'panel-settings':
      return trans.__('Preselected from this panel’s settings.');
    case 'scheduler-settings':
      return trans.__('Preselected from the notebook scheduler’s settings.');
    case 'server':
      return trans.__('Preselected: the notebook scheduler’s default role.');
    default:
      return null;
  }
}

function optionId(role: IRole): string {
  return 'nbjob-iam-role-' + role.arn.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** One listed role: its name, and in small print where it lives and whom it trusts. */
function RoleOption(props: {
  role: IRole;
  selected: boolean;
  onSelect: (role: IRole) => void;
}): JSX.Element {
  const trans = useTrans();
  const { role } = props;
  const trust = role.trusts_sagemaker
    ? role.trusts_events
      ? trans.__('trusts SageMaker and EventBridge')
      : trans.__('trusts SageMaker')
    : trans.__('does not trust SageMaker');
  return (
    <li
      id={optionId(role)}
      role="option"
      aria-selected={props.selected}
      className="jp-NbJobIam-roleOption"
      onClick={() => props.onSelect(role)}
    >
      <span className="jp-NbJobIam-roleName">{role.name}</span>
      <span className="jp-NbJobIam-roleMeta">
        {role.path !== '/' ? role.path + ' · ' : ''}
        {trust}
      </span>
    </li>
  );
}

/**
 * The execution role: a search box over the account's roles (SageMaker-trusting roles first),
 * a listbox of at most ~50 matches, and a free-text name or ARN for roles not listed.
 */
export function RolePicker(props: { model: NbJobIamModel }): JSX.Element {
  const trans = useTrans();
  const { model } = props;
  const [query, setQuery] = React.useState('');
  const listRef = React.useRef<HTMLDivElement>(null);
  const roles = model.roles;
  const matches = React.useMemo(() => matchRoles(roles, query), [roles, query]);
  const selected = model.selectedRole;
  const selectedIndex = selected ? matches.shown.indexOf(selected) : -1;
  const trusted = matches.shown.filter(role => role.trusts_sagemaker);
  const others = matches.shown.filter(role => !role.trusts_sagemaker);

  const choose = (role: IRole) => {
    model.roleArn = role.arn;
  };

  React.useEffect(() => {
    if (!selected || !listRef.current) {
      return;
    }
    const node = listRef.current.querySelector(`#${optionId(selected)}`);
    (node as HTMLElement | null)?.scrollIntoView?.({ block: 'nearest' });
  }, [selected?.arn]);

  const onListKey = (event: React.KeyboardEvent) => {
    const count = matches.shown.length;
    if (!count) {
      return;
    }
    let next = selectedIndex;
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(count - 1, selectedIndex + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, selectedIndex - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    choose(matches.shown[next]);
  };

  const group = (label: string, items: IRole[]) =>
    items.length > 0 && (
      <ul role="group" aria-label={label} className="jp-NbJobIam-roleGroup">
        <li role="presentation" className="jp-NbJobIam-roleGroupLabel">
          {label}
        </li>
        {items.map(role => (
          <RoleOption
            key={role.arn}
            role={role}
            selected={role === selected}
            onSelect={choose}
          />
        ))}
      </ul>
    );

  const hint = sourceText(model.roleSource, trans);
  return (
    <fieldset className="jp-NbJobIam-card jp-NbJobIam-rolePicker">
      <legend className="jp-NbJobIam-cardTitle">
        {trans.__('Execution role')}
      </legend>
      <InputGroup
        type="search"
        rightIcon="ui-components:search"
        aria-label={trans.__('Search roles')}
        placeholder={trans.__('Search roles')}
        value={query}
        onChange={event => setQuery(event.target.value)}
        onKeyDown={event => {
          if (event.key === 'ArrowDown' && listRef.current) {
            event.preventDefault();
            listRef.current.focus();
          }
        }}
      />
      <div
        ref={listRef}
        role="listbox"
        aria-label={trans.__('Roles')}
        tabIndex={0}
        className="jp-NbJobIam-roleList"
        aria-activedescendant={
          selectedIndex >= 0 ? optionId(selected!) : undefined
        }
        aria-busy={model.activity === 'loading' && !model.rolesLoaded}
        onKeyDown={onListKey}
      >
        {group(trans.__('Trust SageMaker'), trusted)}
        {group(trans.__('Other roles'), others)}
      </div>
      <p className="jp-NbJobIam-muted jp-NbJobIam-roleCount" aria-live="polite">
        {!model.rolesLoaded
          ? model.activity === 'loading'
            ? trans.__('Loading roles…')
            : trans.__(
                'Roles could not be listed; type a role name or ARN below.'
              )
          : matches.total === 0
            ? query
              ? trans.__('No role matches your search.')
              : trans.__('No roles in this account.')
            : matches.more > 0
              ? trans.__('%1 more, refine your search', matches.more)
              : trans.__('%1 of %2 roles', matches.total, roles.length)}
      </p>
      <TextField
        label={trans.__('Role name or ARN')}
        placeholder="arn:aws:iam::123456789012:role/…"
        value={model.roleArn}
        onChange={value => {
          model.roleArn = value;
        }}
      />
      {selected && !selected.editable && (
        <p className="jp-NbJobIam-muted">
          {selected.not_editable_reason
            ? trans.__(
                'The fix cannot change this role: %1',
                selected.not_editable_reason
              )
            : trans.__('The fix cannot change this role.')}
        </p>
      )}
      {!selected && model.roleArn && model.rolesLoaded && (
        <p className="jp-NbJobIam-muted">
          {trans.__('Not in the list; it is checked as typed.')}
        </p>
      )}
      {hint && <p className="jp-NbJobIam-muted">{hint}</p>}
    </fieldset>
  );
}
