import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, QueryFailedError, Repository } from 'typeorm';
import { Role } from '../auth/roles';
import { PasswordHasher } from './password-hasher.service';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  roles: Role[];
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly hasher: PasswordHasher,
  ) {}

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /** The users among `ids` that exist (in no particular order). */
  findByIds(ids: readonly string[]): Promise<User[]> {
    return ids.length === 0 ? Promise.resolve([]) : this.users.findBy({ id: In([...ids]) });
  }

  async create(input: NewUser): Promise<User> {
    const now = new Date();
    const user = this.users.create({
      email: normalizeEmail(input.email),
      displayName: input.displayName.trim(),
      passwordHash: await this.hasher.hash(input.password),
      status: 'active',
      roles: input.roles,
      createdAt: now,
      updatedAt: now,
    });
    try {
      return await this.users.save(user);
    } catch (err) {
      if (err instanceof QueryFailedError && /unique|duplicate/i.test(err.message)) {
        throw new ConflictException('A user with this email already exists');
      }
      throw err;
    }
  }

  async setPassword(userId: string, password: string): Promise<void> {
    await this.users.update({ id: userId }, { passwordHash: await this.hasher.hash(password), updatedAt: new Date() });
  }

  async setStatus(userId: string, status: User['status']): Promise<void> {
    await this.users.update({ id: userId }, { status, updatedAt: new Date() });
  }

  /** Whether any active user holds the admin role. Roles are stored comma-separated. */
  activeAdminExists(): Promise<boolean> {
    return this.users
      .createQueryBuilder('u')
      .where('u.status = :status', { status: 'active' })
      .andWhere(...hasRoleCondition('u', 'admin'))
      .getExists();
  }
}

/**
 * A WHERE condition (and its parameters) matching users holding `role`. Roles are stored
 * comma-separated, and role names contain no LIKE wildcards.
 */
export function hasRoleCondition(alias: string, role: string): [string, Record<string, string>] {
  return [
    `(${alias}.roles = :role OR ${alias}.roles LIKE :roleFirst OR ${alias}.roles LIKE :roleLast OR ${alias}.roles LIKE :roleMid)`,
    { role, roleFirst: `${role},%`, roleLast: `%,${role}`, roleMid: `%,${role},%` },
  ];
}
