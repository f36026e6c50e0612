import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAllMapped, mapPath, normalizePath, parsePathMap, planMapping, type PathRule } from '../../lib/pathmap.ts';
import { DrError, ExitCode, formatError } from '../../lib/errors.ts';

const rules: PathRule[] = [
  { from: '/u05', to: '/u15' },
  { from: '/u05/oradata/big', to: '/u25/big' },
  { from: '/u06/', to: '/u16/' },
];

test('longest prefix wins', () => {
  assert.deepEqual(mapPath('/u05/oradata/big/users01.dbf', rules, 'error'), {
    dest: '/u25/big/users01.dbf',
    rule: rules[1],
  });
  assert.deepEqual(mapPath('/u05/oradata/small/users02.dbf', rules, 'error'), {
    dest: '/u15/oradata/small/users02.dbf',
    rule: rules[0],
  });
  // order of the rules does not matter
  assert.equal(mapPath('/u05/oradata/big/x.dbf', [...rules].reverse(), 'error')?.dest, '/u25/big/x.dbf');
});

test('prefixes match whole path components only', () => {
  assert.equal(mapPath('/u050/x.dbf', rules, 'error'), null);
  assert.equal(mapPath('/u05/oradata/bigger/x.dbf', rules, 'error')?.dest, '/u15/oradata/bigger/x.dbf');
  assert.deepEqual(mapPath('/u05', rules, 'error'), { dest: '/u15', rule: rules[0] });
  assert.deepEqual(mapPath('/u05/', rules, 'error'), { dest: '/u15', rule: rules[0] });
});

test('trailing and duplicate slashes in rules and paths are normalised', () => {
  assert.equal(mapPath('/u06//data/a.dbf', rules, 'error')?.dest, '/u16/data/a.dbf');
  assert.equal(mapPath('/u06/data/./b.dbf', rules, 'error')?.dest, '/u16/data/b.dbf');
});

test('a rule from / maps everything not covered by a longer one', () => {
  const r = [{ from: '/', to: '/dr' }, { from: '/u05', to: '/u15' }];
  assert.equal(mapPath('/u01/a.dbf', r, 'error')?.dest, '/dr/u01/a.dbf');
  assert.equal(mapPath('/u05/a.dbf', r, 'error')?.dest, '/u15/a.dbf');
});

test('unmapped paths: null with error policy, same path with same_path', () => {
  assert.equal(mapPath('/u07/a.dbf', rules, 'error'), null);
  assert.deepEqual(mapPath('/u07/a.dbf', rules, 'same_path'), { dest: '/u07/a.dbf', rule: null });
});

test('spaces and odd characters in paths are kept', () => {
  assert.equal(mapPath("/u05/my data/it's 1.dbf", rules, 'error')?.dest, "/u15/my data/it's 1.dbf");
  assert.equal(mapPath('/u 05/a.dbf', [{ from: '/u 05', to: '/u 15' }], 'error')?.dest, '/u 15/a.dbf');
});

test('relative and empty paths are rejected', () => {
  assert.throws(() => mapPath('u05/a.dbf', rules, 'same_path'), /path is not absolute: u05\/a.dbf/);
  assert.throws(() => mapPath('', rules, 'same_path'), /empty path/);
  assert.throws(() => normalizePath('./x'), /not absolute/);
});

test('planMapping collects unmapped paths and destination collisions', () => {
  const plan = planMapping(
    ['/u05/a.dbf', '/u07/b.dbf', '/u05/oradata/big/c.dbf', '/u25/big/c.dbf', '/u05/a.dbf'],
    [...rules, { from: '/u25', to: '/u25' }],
    'error',
  );
  assert.deepEqual(plan.unmapped, ['/u07/b.dbf']);
  assert.deepEqual(
    plan.files.map((f) => [f.source, f.dest]),
    [
      ['/u05/a.dbf', '/u15/a.dbf'],
      ['/u05/oradata/big/c.dbf', '/u25/big/c.dbf'],
      ['/u25/big/c.dbf', '/u25/big/c.dbf'],
    ],
  );
  assert.deepEqual(plan.collisions, [{ dest: '/u25/big/c.dbf', sources: ['/u05/oradata/big/c.dbf', '/u25/big/c.dbf'] }]);
});

test('assertAllMapped is quiet for a complete plan', () => {
  assert.doesNotThrow(() => assertAllMapped(planMapping(['/u05/a.dbf'], rules, 'error'), rules));
});

test('assertAllMapped names every unmapped path, with a HINT about path_map and unmapped_paths', () => {
  const plan = planMapping(['/u07/b.dbf', '/u05/a.dbf', '/u08/c d.dbf'], [{ from: '/u05', to: '/u15' }], 'error');
  let err: unknown;
  try {
    assertAllMapped(plan, [{ from: '/u05', to: '/u15' }]);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof DrError, 'assertAllMapped must throw a DrError');
  assert.equal(err.exitCode, ExitCode.CONFIG);
  assert.equal(
    formatError(err),
    'unable to map datafiles to DR: 2 datafile paths have no DR path\n' +
      '  - /u07/b.dbf: no path_map rule matches\n' +
      '  - /u08/c d.dbf: no path_map rule matches\n' +
      'HINT: add a path_map rule covering each path above (rules now: /u05 -> /u15), or set unmapped_paths: same_path to copy them to the same path on DR',
  );
});

test('assertAllMapped reports collisions', () => {
  const r = [{ from: '/a', to: '/x' }, { from: '/b', to: '/x' }];
  const plan = planMapping(['/a/f.dbf', '/b/f.dbf'], r, 'error');
  assert.throws(
    () => assertAllMapped(plan, r),
    (e: unknown) =>
      formatError(e) ===
      'unable to map datafiles to DR: 1 DR path is the destination of more than one datafile\n' +
        '  - /x/f.dbf: mapped from /a/f.dbf and /b/f.dbf\n' +
        'HINT: make the path_map rules send each datafile to its own DR path',
  );
});

test('parsePathMap accepts a mapping and a list, and reports bad entries with their keys', () => {
  const p1: string[] = [];
  assert.deepEqual(parsePathMap({ '/u05/': '/u15', '/u06': '/u16' }, 'path_map', p1), [
    { from: '/u05', to: '/u15' },
    { from: '/u06', to: '/u16' },
  ]);
  assert.deepEqual(p1, []);
  const p2: string[] = [];
  const r = parsePathMap(
    [{ from: '/u05', to: '/u15' }, { from: '/u05/', to: '/u25' }, { from: 'u06', to: '/u16' }, { to: '/x', form: '/y' }, 'x'],
    'path_map',
    p2,
  );
  assert.deepEqual(r, [{ from: '/u05', to: '/u15' }]);
  assert.deepEqual(p2, [
    'path_map[3].form: unknown key (allowed here: from, to)',
    'path_map[3].from: is required',
    'path_map[4]: must be a mapping with from and to',
    'path_map[1]: /u05 is already mapped by path_map[0]',
    'path_map[2].from: must be an absolute path (found "u06")',
  ]);
  const p3: string[] = [];
  parsePathMap('/u05=/u15', 'path_map', p3);
  assert.deepEqual(p3, ['path_map: must be a list of {from, to} or a mapping of production prefix to DR prefix']);
});
