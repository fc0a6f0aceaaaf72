// A guard checks the signed-in user's roles against the roles the handler's decorator was
// written with (amori95917/connyct-node-api-nestjs-prisma-postgreSQL, src/modules/auth/guards/
// roles.guard.ts): `@Roles('admin', 'owner')` holds a handful, read through the Reflector.
import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PrismaService } from '../prisma/prisma.service';

export const ROLES_KEY = 'roles';
export const Roles = (...roles: string[]) => SetMetadata(ROLES_KEY, roles);

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly prisma: PrismaService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requiredRoles = this.reflector.getAllAndOverride<string[]>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!requiredRoles) return true;
    const { user } = context.switchToHttp().getRequest();
    const account = await this.prisma.user.findFirst({
      where: { id: user.id },
      include: { userRoles: { include: { role: true } } },
    });
    return account.userRoles.some((userRole) => requiredRoles.includes(userRole.role.name));
  }
}
