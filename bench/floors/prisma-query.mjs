// The server floor: a bare Prisma client over node-postgres connecting and running one query.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.argv[2] }) });
await prisma.$queryRaw`SELECT 1`;
await prisma.$disconnect();
