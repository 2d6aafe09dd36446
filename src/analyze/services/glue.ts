/**
 * Glue Data Catalog: an action on a table is authorised on the catalog, the database and the table
 * together (SAR lists rootcatalog + database + table as required; AWS Glue "Specifying AWS Glue
 * resource ARNs"), a database action on catalog + database. Names are lower-cased: Glue stores
 * database and table names in lower case and IAM compares ARNs case-sensitively.
 */
import { isAccount } from '../validate';
import { check, field, list, text } from './fields';
import type { ResourceOutcome, ResourceRequest, ServiceResourceResolver } from './types';

/** Calls that act on every table (or database) of their scope. */
const ALL_TABLES = new Set(['GetTables', 'SearchTables', 'GetTableVersions']);
const ALL_DATABASES = new Set(['GetDatabases']);

function names(req: ResourceRequest): { db?: string; tables: string[] } {
  const p = req.params;
  const dbField = text(p, 'databaseName', 'requestParameters.databaseName', 'glue-name');
  const dbInput = text(
    field(p, 'databaseInput'),
    'name',
    'requestParameters.databaseInput.name',
    'glue-name',
  );
  const nameField = text(p, 'name', 'requestParameters.name', 'glue-name');
  const tables: string[] = [];
  let db = dbField ?? dbInput;
  if (dbField === undefined && dbInput === undefined) {
    // GetDatabase/DeleteDatabase/UpdateDatabase name the database in `name`.
    db = nameField;
  } else {
    const t =
      text(p, 'tableName', 'requestParameters.tableName', 'glue-name') ??
      text(field(p, 'tableInput'), 'name', 'requestParameters.tableInput.name', 'glue-name') ??
      nameField;
    if (t !== undefined) tables.push(t);
    for (const v of list(p, 'tablesToDelete', 'requestParameters.tablesToDelete') ?? []) {
      if (typeof v !== 'string') check('', 'requestParameters.tablesToDelete', 'glue-name');
      tables.push(check(v as string, 'requestParameters.tablesToDelete', 'glue-name'));
    }
  }
  return { db: db?.toLowerCase(), tables: tables.map((t) => t.toLowerCase()) };
}

export const glueResolver: ServiceResourceResolver = {
  prefixes: ['glue'],
  resolve(req): ResourceOutcome | undefined {
    const usesCatalog = req.lists('database') || req.lists('table');
    if (!usesCatalog) return undefined;
    const catalogId = text(req.params, 'catalogId', 'requestParameters.catalogId');
    const account: Record<string, string> = {};
    if (catalogId !== undefined) {
      if (!isAccount(catalogId))
        return {
          kind: 'unresolved',
          reason: 'the catalogId is not an account id (federated catalogs are not mapped)',
        };
      account.Account = catalogId;
    }
    const { db, tables } = names(req);
    const arns: string[] = [];
    const root = req.arnOf('rootcatalog', account);
    if (root && req.lists('rootcatalog')) arns.push(root);
    if (req.lists('database')) {
      const d = db ?? (ALL_DATABASES.has(req.eventName) ? '*' : undefined);
      if (d === undefined) return { kind: 'unresolved', reason: 'the event names no Glue database' };
      const a = req.arnOf('database', { ...account, DatabaseName: d });
      if (a) arns.push(a);
    }
    if (req.lists('table') && !ALL_DATABASES.has(req.eventName)) {
      if (db === undefined) return { kind: 'unresolved', reason: 'the event names no Glue database' };
      const ts = tables.length > 0 ? tables : ALL_TABLES.has(req.eventName) ? ['*'] : [];
      if (ts.length === 0) return { kind: 'unresolved', reason: 'the event names no Glue table' };
      for (const t of ts) {
        const a = req.arnOf('table', { ...account, DatabaseName: db, TableName: t });
        if (a) arns.push(a);
      }
    }
    if (arns.length === 0) return { kind: 'unresolved', reason: 'no account for the Glue catalog' };
    return { kind: 'resources', arns };
  },
};
