import * as React from 'react';

import { NbJobIamModel } from '../model';
import { IdentityKind } from '../tokens';

export const KIND_LABELS: { [kind in IdentityKind]: string } = {
  user: 'IAM user',
  'assumed-role': 'Assumed IAM role',
  'sso-role': 'IAM Identity Center (SSO) role',
  'federated-user': 'Federated user',
  root: 'Account root user',
  'service-linked-role': 'Service-linked role'
};

/** Who the chosen profile is in AWS, where, and whether the fix may change it. */
export function IdentityCard(props: { model: NbJobIamModel }): JSX.Element {
  const { model } = props;
  const context = model.context;
  const identity = model.identity;
  const profiles = context?.profiles ?? [];
  const profile = model.profile ?? '';
  const warnings = [
    ...(context?.warnings ?? []),
    ...(identity?.warnings ?? [])
  ];
  return (
    <section
      className="jp-NbJobIam-card"
      aria-labelledby="nbjob-iam-identity-heading"
    >
      <h3 id="nbjob-iam-identity-heading" className="jp-NbJobIam-cardTitle">
        Your AWS identity
      </h3>
      <label className="jp-NbJobIam-field">
        <span className="jp-NbJobIam-label">AWS profile</span>
        <select
          className="jp-NbJobIam-input"
          aria-label="AWS profile"
          value={profile}
          disabled={model.busy}
          onChange={event => {
            void model.selectProfile(event.target.value || null);
          }}
        >
          <option value="">Environment credentials</option>
          {profile && !profiles.includes(profile) && (
            <option value={profile}>{profile} (not found)</option>
          )}
          {profiles.map(name => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <dl className="jp-NbJobIam-facts">
        <dt>Signed in as</dt>
        <dd data-testid="nbjob-iam-identity-kind">
          {identity
            ? `${KIND_LABELS[identity.kind] ?? identity.kind}${
                identity.principal_name ? ' ' + identity.principal_name : ''
              }`
            : model.activity === 'loading'
              ? 'Loading…'
              : 'Unknown'}
        </dd>
        {identity && (
          <>
            <dt>ARN</dt>
            <dd
              className="jp-NbJobIam-arn"
              data-testid="nbjob-iam-identity-arn"
            >
              {identity.arn}
            </dd>
            <dt>Account</dt>
            <dd data-testid="nbjob-iam-account">{identity.account}</dd>
          </>
        )}
        <dt>Region</dt>
        <dd data-testid="nbjob-iam-region">
          {model.region ?? '—'}
          {context?.region_source && !model.settings.defaultRegion && (
            <span className="jp-NbJobIam-muted">
              {' '}
              ({context.region_source})
            </span>
          )}
          {model.settings.defaultRegion && (
            <span className="jp-NbJobIam-muted"> (panel settings)</span>
          )}
        </dd>
        {identity && (
          <>
            <dt>Editable</dt>
            <dd data-testid="nbjob-iam-editable">
              {identity.editable
                ? 'Yes: the fix can add what is missing'
                : `No: ${identity.not_editable_reason || 'it cannot be changed from here'}`}
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
