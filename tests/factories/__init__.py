"""factory-boy factories and test data helpers, one module per app, exactly one factory per model:

- tests.factories.accounts: UserFactory and PASSWORD (invitations go through the service);
- tests.factories.schools: the shared register (School, Census, Budget), a school's people (Person) and
  GIAS establishment files (gias_row, csv_bytes);
- tests.factories.partnerships: the partnership, memberships and roles (give_role, through the service),
  terms and the constitution, leaving notices and uploads, offices and the rota, groups, development areas
  and the register of interests.

When a module outgrows about 400 lines it becomes a package of the same name with one module per concept.
"""
