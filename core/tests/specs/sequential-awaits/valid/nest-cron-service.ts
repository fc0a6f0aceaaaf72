// A NestJS service whose telemetry runs on @nestjs/schedule (hoppscotch's PostHog capture):
// the scheduled method and what it calls are no request path.
import { Injectable } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { PrismaService } from './prisma.service';

@Injectable()
export class PostHogService {
  constructor(private readonly prisma: PrismaService) {}

  @Cron(CronExpression.EVERY_WEEK)
  async handleCron() {
    await this.capture();
  }

  async capture() {
    const users = await this.prisma.user.count();
    const workspaces = await this.prisma.team.count();
    return { users, workspaces };
  }
}
