import { TranslationBundle } from '@jupyterlab/translation';
import { HTMLSelect } from '@jupyterlab/ui-components';
import * as React from 'react';

import { useTrans } from '../i18n';
import { NbJobIamModel } from '../model';
import { IdentityKind } from '../tokens';

/** The kind of AWS identity in words. */
export function kindLabel(
  kind: IdentityKind,
  trans: TranslationBundle
): string {
  switch (kind) {
    case 'user':
      return trans.__('IAM user');
    case 'assumed-role':
      return trans.__('Assumed IAM role');
    case 'sso-role':
      return trans.__('IAM Identity Center (SSO) role');
    case 'federated-user':
      return trans.__('Federated user');
    case 'root':
      return trans.__('Account root user');
    case 'service-linked-role':
      return trans.__('Service-linked role');
    default:
      return kind;
  }
}

/** Who the chosen profile is in AWS, where, and whether the fix may change it. */
export function IdentityCard(props: { model: NbJobIamModel }): JSX.Element {
  const trans = useTrans();
  const { model } = props;
  const context = model.context;
  const identity = model.identity;
  const profiles = context?.profiles ?? [];
  const profile = model.profile ?? '';
  const warnings = [
    ...(context?.warnings ?? []),
    ...(identity?.warnings ?? [])
  ];
  const options = [
    { value: '', label: trans.__('Environment credentials') },
    ...(profile && !profiles.includes(profile)
      ? [{ value: profile, label: trans.__('%1 (not found)', profile) }]
      : []),
    ...profiles.map(name => ({ value: name, label: name }))
  ];
  return (
    <section
      className="jp-NbJobIam-card"
      aria-labelledby="nbjob-iam-identity-heading"
    >
      <h3 id="nbjob-iam-identity-heading" className="jp-NbJobIam-cardTitle">
        {trans.__('Your AWS identity')}
      </h3>
      <label className="jp-NbJobIam-field">
        <span className="jp-NbJobIam-label">{trans.__('AWS profile')}</span>
        <HTMLSelect
          aria-label={trans.__('AWS profile')}
          value={profile}
          disabled={model.busy}
          options={options}
          onChange={event => {
            void model.selectProfile(event.target.value || null);
          }}
        />
      </label>
      <dl className="jp-NbJobIam-facts">
        <dt>{trans.__('Signed in as')}</dt>
        <dd data-testid="nbjob-iam-identity-kind">
          {identity
            ? `${kindLabel(identity.kind, trans)}${
                identity.principal_name ? ' ' + identity.principal_name : ''
              }`
            : model.activity === 'loading'
              ? trans.__('Loading…')
              : trans.__('Unknown')}
        </dd>
        {identity && (
          <>
            <dt>{trans.__('ARN')}</dt>
            <dd
              className="jp-NbJobIam-arn"
              data-testid="nbjob-iam-identity-arn"
            >
              {identity.arn}
            </dd>
            <dt>{trans.__('Account')}</dt>
            <dd data-testid="nbjob-iam-account">{identity.account}</dd>
          </>
        )}
        <dt>{trans.__('Region')}</dt>
        <dd data-testid="nbjob-iam-region">
          {model.region ?? '—'}
          {context?.region_source && !model.settings.defaultRegion && (
            <span className="jp-NbJobIam-muted">
              {' '}
              ({context.region_source})
            </span>
          )}
          {model.settings.defaultRegion && (
            <span className="jp-NbJobIam-muted">
              {' '}
              {trans.__('(panel settings)')}
            </span>
          )}
        </dd>
        {identity && (
          <>
            <dt>{trans.__('Editable')}</dt>
            <dd data-testid="nbjob-iam-editable">
              {identity.editable
                ? trans.__('Yes: the fix can add what is missing')
                : trans.__(
                    'No: %1',
                    identity.not_editable_reason ||
                      trans.__('it cannot be changed from here')
                  )}
            </dd>
          </>
        )}
      </dl>
      {warnings.map(text => (
        <p key={text} className="jp-NbJobIam-warning">
          {text}
        </p>
      ))}
    </section>
  );
}
