/**
 * The REST contract, from the panel's side: every real server response (fixtures written by
 * tests/contract/test_rest_fixtures.py from the sandbox account) type-checks against src/tokens.ts,
 * unknown fields included, and renders. A server change the panel does not know fails here.
 */
import { act, render, screen, within } from '@testing-library/react';
import * as React from 'react';

import { ErrorBanner } from '../components/ErrorBanner';
import { FixOutcome } from '../components/FixOutcome';
import { PlanPreview } from '../components/PlanPreview';
import { isServerErrorCode } from '../errorCodes';
import { NbJobIamModel } from '../model';
import { summarize } from '../summary';
import { PanelContent } from '../widgets/panel';
import { fakeServer, NO_ACTIONS, reply } from './fakeServer';
import {
  FIXTURE_TYPES,
  fixtureNames,
  fixtures,
  IErrorFixture,
  load
} from './fixtures';
import { typeErrors } from './typecheck';

const noop = () => undefined;
const ERROR_TYPE =
  '{ status: number; body: IErrorBody & { error_code: ServerErrorCode } }';

/** A model that has read the fixtures' context, identity and roles. */
async function loadedModel(routes: { [route: string]: () => unknown } = {}) {
  const { settings } = fakeServer({
    'GET context': () => fixtures.context(),
    'GET identity': () => fixtures.identity(),
    'GET roles': () => fixtures.roles(),
    'POST check': () => fixtures.report(),
    'POST plan': () => fixtures.plan(),
    'POST apply': () => fixtures.apply(),
    'POST undo': () => fixtures.undo(),
    ...routes
  });
  const model = new NbJobIamModel({ serverSettings: settings });
  await model.initialize();
  return model;
}

describe('the server responses the panel reads', () => {
  const names = fixtureNames();

  it('include one of each kind', () => {
    expect(names).toEqual(expect.arrayContaining(Object.keys(FIXTURE_TYPES)));
    expect(
      names.filter(name => name.startsWith('error-')).length
    ).toBeGreaterThanOrEqual(5);
  });

  it('type-check against src/tokens.ts, with no field the panel does not know', () => {
    const values: { [name: string]: [string, unknown] } = {};
    for (const name of names) {
      values[name] = [
        name.startsWith('error-') ? ERROR_TYPE : FIXTURE_TYPES[name],
        load(name)
      ];
    }
    expect(values).not.toEqual({});
    const errors = typeErrors(
      {
        tokens: [...Object.values(FIXTURE_TYPES), 'IErrorBody'],
        errorCodes: ['ServerErrorCode']
      },
      values
    );
    expect(errors).toEqual([]);
  });

  it('are read by the model, and the panel renders them', async () => {
    const model = await loadedModel();
    expect(model.error).toBeNull();
    expect(model.identity?.arn).toBe(fixtures.identity().arn);
    expect(model.roles).toHaveLength(fixtures.roles().roles.length);
    await act(async () => {
      await model.check();
    });
    const report = fixtures.report();
    render(<PanelContent model={model} {...NO_ACTIONS} />);
    expect(screen.getByTestId('nbjob-iam-verdict').textContent).toBe(
      summarize(report).verdict
    );
    for (const target of report.targets) {
      for (const statement of target.statements) {
        expect(
          screen.getAllByRole('button', {
            name: new RegExp(`^${statement.sid}\\b`)
          }).length
        ).toBeGreaterThan(0);
      }
    }
  });

  it('render the plan: every write and every skipped statement', () => {
    const plan = fixtures.plan();
    render(<PlanPreview plan={plan} />);
    const writes = within(
      screen.getByRole('list', { name: 'Changes' })
    ).getAllByRole('listitem');
    expect(writes).toHaveLength(plan.writes.length);
    for (const write of plan.writes) {
      expect(screen.getByText(write.summary)).toBeTruthy();
    }
    if (plan.mode) {
      expect(screen.getByText(plan.mode.text)).toBeTruthy();
    }
    for (const skipped of plan.skipped) {
      expect(
        within(
          screen.getByRole('region', { name: 'Not written' })
        ).getAllByText(skipped.sid).length
      ).toBeGreaterThan(0);
    }
  });

  it('render the apply result, then the undo result', async () => {
    const model = await loadedModel();
    await act(async () => {
      await model.check();
      await model.plan();
      await model.apply();
    });
    const apply = fixtures.apply();
    const view = render(<FixOutcome model={model} onUndo={noop} />);
    expect(screen.getByTestId('nbjob-iam-outcome').textContent).toContain(
      `Fixed: ${apply.applied.length} changes applied.`
    );
    expect(screen.getByText(apply.backup_id!)).toBeTruthy();

    await act(async () => {
      await model.undo();
    });
    view.rerender(<FixOutcome model={model} onUndo={noop} />);
    expect(screen.getByTestId('nbjob-iam-outcome').textContent).toContain(
      `Undone: ${fixtures.undo().restored.length} documents restored`
    );
  });

  it.each(fixtureNames().filter(name => name.startsWith('error-')))(
    'render %s as an alert in words, with a registered code',
    async name => {
      const error = load<IErrorFixture>(name);
      expect(isServerErrorCode(error.body.error_code)).toBe(true);
      const model = await loadedModel({
        'POST check': () => reply(error.status, error.body)
      });
      await act(async () => {
        await model.check();
      });
      expect(model.error?.errorCode).toBe(error.body.error_code);
      expect(model.error?.kind).toBe('api');
      render(<ErrorBanner model={model} onCopyForAdministrator={noop} />);
      expect(screen.getByRole('alert').textContent).toContain(
        error.body.message
      );
    }
  );
});
