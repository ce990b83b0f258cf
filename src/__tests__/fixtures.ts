/** The server's real responses (tests/contract/test_rest_fixtures.py writes them), by name. */
import * as fs from 'fs';
import * as path from 'path';

import {
  IApplyResult,
  IContext,
  IErrorBody,
  IIdentity,
  IPlan,
  IReport,
  IRolesResponse,
  IUndoResult
} from '../tokens';

export const FIXTURES_DIR = path.join(__dirname, 'fixtures');

/** The TypeScript type each fixture must have; error fixtures are `error-<code>.json`. */
export const FIXTURE_TYPES: { [name: string]: string } = {
  context: 'IContext',
  identity: 'IIdentity',
  roles: 'IRolesResponse',
  report: 'IReport',
  plan: 'IPlan',
  apply: 'IApplyResult',
  undo: 'IUndoResult'
};

export interface IErrorFixture {
  status: number;
  body: IErrorBody;
}

export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURES_DIR)
    .filter(file => file.endsWith('.json'))
    .map(file => file.slice(0, -'.json'.length))
    .sort();
}

export function load<T>(name: string): T {
  return JSON.parse(
    fs.readFileSync(path.join(FIXTURES_DIR, `${name}.json`), 'utf-8')
  ) as T;
}

export const fixtures = {
  context: () => load<IContext>('context'),
  identity: () => load<IIdentity>('identity'),
  roles: () => load<IRolesResponse>('roles'),
  report: () => load<IReport>('report'),
  plan: () => load<IPlan>('plan'),
  apply: () => load<IApplyResult>('apply'),
  undo: () => load<IUndoResult>('undo'),
  error: (code: string) => load<IErrorFixture>(`error-${code}`)
};
