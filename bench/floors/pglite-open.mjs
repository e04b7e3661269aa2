// The embedded floor: bare PGlite opening a database directory and running one query.
import { PGlite } from '@electric-sql/pglite';

const lite = new PGlite(process.argv[2]);
await lite.query('SELECT 1');
await lite.close();
